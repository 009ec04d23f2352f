// Section 8: binding with a large manifest (issue 12, case 11). The same insert as §5 (N images in one
// task, insert → main thread free, and the observer callback alone), on pages whose manifest has one
// rule or 5,000 of one kind, each page's images matched by its last rule. The fillers sort before
// it (longer patterns win), so a linear scan would try all 5,000 for every image; an index tries one.
import type { Browser } from '@playwright/test';
import { newContext } from './browser.js';
import { insert } from './binding.js';
import { html, loaderTag, type Site } from './site.js';
import { median, type Clock } from './stats.js';

export interface ManifestResult {
  /** "1 rule", "5,000 exact", … */
  kind: string;
  rules: number;
  n: number;
  /** insert → main thread free, and the observer callback, per run (ms). */
  total: number[];
  observer: number[];
  totalMs: number;
  observerMs: number;
}

const RULES = 5000;

/** The manifests' assets: each ends with the rule that matches /images/bind/I.png. */
export const KINDS: Record<string, string[]> = {
  '1 rule': ['/images/bind/'],
  [`${RULES} exact paths`]: Array.from({ length: RULES }, (_, i) => `/images/bind/${i}.png`),
  [`${RULES} prefixes`]: [...Array.from({ length: RULES - 1 }, (_, i) => `/images/other-${i}/`), '/images/bind/'],
  [`${RULES} globs`]: [...Array.from({ length: RULES - 1 }, (_, i) => `/images/g${i}/*.png`), '/images/bind/*.png'],
};

export async function manifests(browser: Browser, site: Site, clock: Clock, n: number, repeats: number): Promise<ManifestResult[]> {
  const { origin, a, b, c } = site.servers;
  const ctx = await newContext(browser);
  const out: ManifestResult[] = [];
  const kinds = Object.entries(KINDS).map(([kind, assets]) => {
    const slug = kind.replace(/\W+/g, '-');
    const manifest = site.manifest(`/m/rules-${slug}.json`, { origin: origin.url, edges: [a, b, c].map((s) => ({ id: s.name, url: s.url })), assets });
    const url = site.page(`/r/${slug}.html`, html(loaderTag(manifest), '<div id="box" hidden></div>'));
    return { kind, assets, url, total: [] as number[], observer: [] as number[] };
  });
  try {
    // Round after round, every manifest once per round: a machine that slows down meanwhile slows all alike.
    for (let rep = 1; rep <= repeats; rep++) {
      if (rep > 1 && !clock.fits(30000)) break;
      for (const k of kinds) {
        const page = await ctx.newPage();
        try {
          await page.goto(k.url);
          await page.waitForFunction(() => (window as unknown as { CDNLoader?: { edges(): unknown[] } }).CDNLoader?.edges().length);
          await page.evaluate(() => (window as unknown as { CDNLoader: { probe(): Promise<unknown> } }).CDNLoader.probe());
          const m = await page.evaluate(insert, n);
          if (m.boundCount !== n) throw new Error(`manifests: only ${m.boundCount} of ${n} images were bound within the task`);
          k.total.push(m.total);
          k.observer.push(m.observer);
          clock.log(`manifest ${k.kind}, ${n} images ${rep}/${repeats}: ${m.total.toFixed(1)} ms (observer ${m.observer.toFixed(1)} ms)`);
        } finally {
          await page.close();
        }
      }
    }
    for (const k of kinds)
      out.push({ kind: k.kind, rules: k.assets.length, n, total: k.total, observer: k.observer, totalMs: median(k.total) ?? 0, observerMs: median(k.observer) ?? 0 });
  } finally {
    await ctx.close();
  }
  return out;
}
