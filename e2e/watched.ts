// The split's page for the plain-URL tests (e2e/plainWatch.spec.ts, e2e/review4.spec.ts).
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { Site } from './fixtures.js';

const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

/**
 * Opens a page of the split (manifest and boot inline, runtime async) with `head` after the runtime's tag and `body`;
 * `plain`: the boot's tag marked `data-plain`, as the tools write it for a page of plain URLs (cli/rewrite.ts).
 */
export async function openWatched(page: Page, site: Site, o: { body?: string; head?: string; manifest?: object; path?: string; plain?: boolean }) {
  const path = o.path ?? '/page.html';
  const head =
    `<script type="application/json" id="cdn-manifest">${JSON.stringify(site.manifest(o.manifest))}</script>\n` +
    `<script data-manifest="#cdn-manifest"${o.plain ? ' data-plain' : ''}>${BOOT}</script>\n<script async src="/cdn-loader-runtime.js"></script>\n${o.head ?? ''}`;
  site.origin.file(path, `<!doctype html><html><head><meta charset="utf-8"><title>plain</title>\n${head}\n</head><body>\n${o.body ?? ''}\n</body></html>`);
  // Not waiting for the load event: a hung resource holds it.
  await page.goto(site.origin.url + path, { waitUntil: 'commit' });
}

/** Holds the runtime's request until `release()` is called: the runtime then arrives when the test says. */
export async function holdRuntime(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route('**/cdn-loader-runtime.js', async (route) => (await released, route.continue()));
  return release;
}

/** Waits until the page has saved each edge at `urls` up (1) or down (0) for the next page (health.ts). */
export const remembers = (page: Page, urls: string[], up: 0 | 1) =>
  page.waitForFunction(([urls, up]) => {
    const h = JSON.parse(localStorage.getItem('cdn-loader:health') ?? '{}');
    return urls.every((u) => h[u]?.[0] === up);
  }, [urls, up] as const);
