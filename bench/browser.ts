// Chromium for the benchmark, and what a page reports about itself. Timings are taken inside the
// page (performance.now(), from the start of navigation), so Playwright's polling adds nothing.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { browserPath, chromiumArgs } from '../playwright.config.js';

export function launch(): Promise<Browser> {
  // chromiumArgs carry --host-resolver-rules: every name resolves to this machine or nowhere.
  return chromium.launch({ executablePath: browserPath(), args: chromiumArgs, headless: true });
}

/** What the recorder keeps in the page. */
export interface Recorded {
  /** ms from navigation start until every benchmark image had loaded; 0 while not yet. */
  done: number;
  loaded: number;
  events: { type: string; id?: string; source?: string; ok?: boolean; ms?: number; reason?: string; state?: string }[];
}

/**
 * Runs before any page script: counts loaded benchmark images (`img.b`; the page says how many in
 * `<html data-expect>`), and keeps every cdn:* event. A load event of an image is the moment it is
 * usable; hedges of the loader load in detached copies, which fire nothing in the document, and
 * then the element itself loads from the memory cache.
 */
function recorder(): void {
  const r: Recorded = { done: 0, loaded: 0, events: [] };
  (window as unknown as { __bench: Recorded }).__bench = r;
  const check = () => {
    const want = Number(document.documentElement.dataset.expect || 0);
    const imgs = document.querySelectorAll<HTMLImageElement>('img.b');
    let n = 0;
    for (const i of Array.from(imgs)) if (i.complete && i.naturalWidth > 0 && i.currentSrc) n++;
    r.loaded = n;
    if (want && n >= want && !r.done) r.done = performance.now();
  };
  document.addEventListener('load', (e) => e.target instanceof HTMLImageElement && check(), true);
  for (const type of ['cdn:ready', 'cdn:load', 'cdn:fallback', 'cdn:error', 'cdn:edge', 'cdn:probe'])
    document.addEventListener(type, (e) => {
      const d = (e as CustomEvent).detail ?? {};
      r.events.push({ type, id: d.element?.id ?? d.id, source: d.source, ok: d.ok, ms: d.ms, reason: d.reason, state: d.state });
    });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  const ctx = await browser.newContext();
  await ctx.addInitScript(recorder);
  return ctx;
}

export const recorded = (page: Page): Promise<Recorded> => page.evaluate(() => (window as unknown as { __bench: Recorded }).__bench);

export interface PageTime {
  /** ms from navigation start until all images loaded, or null when the cut-off came first. */
  ms: number | null;
  loaded: number;
  expected: number;
  /** Which server each image's pixels came from, counted. */
  sources: Record<string, number>;
}

/** Opens `url` and waits until all its benchmark images have loaded, at most `cutoff` ms. */
export async function timeImages(page: Page, url: string, cutoff: number, nameOf: (url: string) => string): Promise<PageTime> {
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'commit', timeout: cutoff });
  try {
    await page.waitForFunction(() => (window as unknown as { __bench?: Recorded }).__bench?.done, undefined, {
      timeout: Math.max(1, cutoff - (Date.now() - t0)),
      polling: 50,
    });
  } catch {
    // The cut-off: reported as such.
  }
  const r = await page.evaluate(() => ({
    done: (window as unknown as { __bench: Recorded }).__bench.done,
    expected: Number(document.documentElement.dataset.expect || 0),
    urls: Array.from(document.querySelectorAll<HTMLImageElement>('img.b')).map((i) => (i.complete && i.naturalWidth > 0 ? i.currentSrc : '')),
  }));
  const sources: Record<string, number> = {};
  for (const u of r.urls) {
    const k = u ? nameOf(u) : 'not loaded';
    sources[k] = (sources[k] ?? 0) + 1;
  }
  const loaded = r.urls.filter(Boolean).length;
  return { ms: r.done && r.done <= cutoff ? Math.round(r.done) : null, loaded, expected: r.expected, sources };
}
