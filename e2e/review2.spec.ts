// Review of issue 14's performance changes (359c626..ac10767): the runtime's URL parsing memoized per
// document base (manifest/written.ts), Kind._won for what the boot already loaded (takeover.ts), and the
// boot's load listener added at its first record. Regression guards, and one bug older than the change.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, settled, sawEvent, type Site } from './fixtures.js';
import { holdRuntime } from './watched.js';

const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

/** Serves and opens a page of the split: manifest and boot inline in <head>, the runtime async. */
async function openSplit(page: Page, site: Site, body: string, manifest: object = site.manifest()) {
  const head =
    `<script type="application/json" id="cdn-manifest">${JSON.stringify(manifest)}</script>\n` +
    `<script data-manifest="#cdn-manifest">${BOOT}</script>\n<script async src="/cdn-loader-runtime.js"></script>`;
  site.origin.file('/page.html', `<!doctype html><html><head><meta charset="utf-8"><title>review2</title>\n${head}\n</head><body>\n${body}\n</body></html>`);
  // Not waiting for the load event: a hung resource holds it.
  await page.goto(site.origin.url + '/page.html', { waitUntil: 'commit' });
}

/** Appends `<img id data-cdn-src>` from a script. */
const addCdnImage = (page: Page, id: string, src: string) =>
  page.evaluate(([id, src]) => document.body.appendChild(Object.assign(document.createElement('img'), { id })).setAttribute('data-cdn-src', src), [id, src]);

test('review2: a written URL means what the document base of the moment says: the same relative data-cdn-src after a <base> is added, and after pushState', async ({ page, site }) => {
  // Guards written.ts: its cache of parsed URLs is keyed by document.baseURI (passes on 359c626 and ac10767).
  await openSplit(page, site, '');
  await sawEvent(page, 'cdn:ready');
  // Relative to /page.html: /images/0.png, registered, from an edge.
  await addCdnImage(page, 'r1', 'images/0.png');
  const [first] = await settled(page, 1);
  expect(first).toMatchObject({ type: 'cdn:load', el: 'r1' });
  expect(first.source).not.toBe('origin');
  const row = (path: string) => page.waitForFunction((p) => window.CDNLoader!.report().find((r) => r.path === p)?.state, path).then((h) => h.jsonValue());
  // A <base> added later: the same written URL is /other/images/0.png, in no assets entry: loaded as written.
  await page.evaluate(() => document.head.appendChild(Object.assign(document.createElement('base'), { href: '/other/' })));
  await addCdnImage(page, 'r2', 'images/0.png');
  expect(await row('/other/images/0.png')).toBe('unregistered');
  expect(await page.evaluate(() => document.getElementById('r2')!.getAttribute('src'))).toBe(`${site.origin.url}/other/images/0.png`);
  // No <base>, and the page's URL changed (an app's router): the document's URL is the base again.
  await page.evaluate(() => {
    document.querySelector('base')!.remove();
    history.pushState(null, '', '/deep/x/page.html');
  });
  await addCdnImage(page, 'r3', 'images/0.png');
  expect(await row('/deep/x/images/0.png')).toBe('unregistered');
  expect(await page.evaluate(() => document.getElementById('r3')!.getAttribute('src'))).toBe(`${site.origin.url}/deep/x/images/0.png`);
  // And back: the first base's cached answer is still right.
  await page.evaluate(() => history.pushState(null, '', '/page.html'));
  await addCdnImage(page, 'r4', 'images/1.png');
  expect((await settled(page, 2))[1]).toMatchObject({ type: 'cdn:load', el: 'r4', source: first.source });
  expect(await page.evaluate(() => [...document.images].map((i) => i.getAttribute('src')))).toEqual([
    expect.stringMatching(/\/images\/0\.png$/),
    `${site.origin.url}/other/images/0.png`,
    `${site.origin.url}/deep/x/images/0.png`,
    expect.stringMatching(/\/images\/1\.png$/),
  ]);
});

// A bug older than the change under review (failed on 359c626 as on ac10767): the boot never resets a
// record's `done` when it moves it (boot.ts `go`). A record that loaded once (done > 0), then failed (its
// <picture> chooses another source) and was moved by the boot to an edge that hangs, was taken by the
// runtime as loaded there: cdn:load from the hung edge at once, and no deadline, so the image never
// arrived. Fixed in takeover.ts: loaded means loaded since the boot's last move (done >= t).
test('review2 (fixed, was older than the review): a boot record that loaded, then failed and was moved by the boot to a hanging edge, is failed over by the runtime, not taken as loaded', async ({ page, site }) => {
  // The wide picture: missing at a, hanging at b (the boot's next) and c.
  await site.a.set({ fault: 'status', status: 500 }, '/images/wide');
  await site.b.set({ fault: 'blackhole' }, '/images/wide');
  await site.c.set({ fault: 'blackhole' }, '/images/wide');
  const release = await holdRuntime(page);
  await openSplit(
    page,
    site,
    `<picture><source id="wide" media="(min-width: 6000px)" data-cdn-srcset="/images/wide.png"><img id="p" data-cdn-src="/images/narrow.png" alt=""></picture>`,
    site.manifest({ failover: { timeout: 1000 } }),
  );
  await page.waitForFunction(() => (window.CDNBoot?.records[0]?.done ?? 0) > 0);
  expect(await page.evaluate(() => window.CDNBoot!.records[0].from)).toBe('a');
  // Its <source> now matches (the page's own code; a wider viewport does the same): the <img> chooses it, which
  // fails at a; the boot moves the record to b.
  await page.evaluate(() => document.getElementById('wide')!.setAttribute('media', 'all'));
  await page.waitForFunction(() => window.CDNBoot!.records[0].failed.length > 0);
  // (Its `done` is still that of its load at a: the bug.)
  expect(await page.evaluate(() => window.CDNBoot!.records[0].from)).toBe('b');
  await site.b.waitFor((p) => p === '/images/wide.png');
  release();
  // What should happen: b is late after 1 s, the origin serves it.
  const [done] = await settled(page, 1);
  expect(done).toMatchObject({ type: 'cdn:load', el: 'p', source: 'origin' });
  await page.waitForFunction(() => document.images[0].complete && document.images[0].naturalWidth > 0);
});
