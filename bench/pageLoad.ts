// Sections 2–4: time until all 100 images of a page have loaded. Plain pages (straight at the
// origin, straight at edge a), the loader's pages, and the failover scenarios with cdn-loader and
// assets-retry side by side. Variants run interleaved, repetition by repetition, so drift of this
// shared machine spreads over all of them alike.
import type { Browser } from '@playwright/test';
import { newContext, timeImages, type PageTime } from './browser.js';
import { FAULTS, assetsRetryTag, html, images, loaderTag, type Site } from './site.js';
import { median, type Clock } from './stats.js';

export const IMAGES = 100;

export interface Series {
  /** What ran, e.g. `loader/first` or `blackholed/assets-retry/next`. */
  key: string;
  samples: PageTime[];
  /** Median ms, or null when the median run hit the cut-off. */
  median: number | null;
  /** Median images loaded, for runs that hit the cut-off. */
  loaded: number;
}

export interface PageLoadOptions {
  repeats: number;
  failoverRepeats: number;
  cutoff: number;
}

const summarize = (key: string, samples: PageTime[]): Series => ({
  key,
  samples,
  median: median(samples.map((s) => s.ms)),
  loaded: median(samples.map((s) => s.loaded)) ?? 0,
});

type Pages = { first: string; next?: string };

/** Runs the first page (a fresh browser profile), then the next one in the same profile. */
async function pair(browser: Browser, site: Site, pages: Pages, cutoff: number): Promise<PageTime[]> {
  const ctx = await newContext(browser);
  try {
    const page = await ctx.newPage();
    const out = [await timeImages(page, pages.first, cutoff, site.nameOf)];
    if (pages.next) out.push(await timeImages(page, pages.next, cutoff, site.nameOf));
    return out;
  } finally {
    await ctx.close();
  }
}

const show = (t: PageTime) => (t.ms === null ? `cut off (${t.loaded}/${t.expected})` : `${t.ms} ms`);

/** Section 2: plain origin page, plain edge page (the limit), the loader's first and next page. */
export async function imagePages(browser: Browser, site: Site, clock: Clock, o: PageLoadOptions): Promise<Series[]> {
  const { origin, a, b, c } = site.servers;
  const manifest = site.manifest('/m/three.json', {
    origin: origin.url,
    edges: [a, b, c].map((s) => ({ id: s.name, url: s.url })),
    assets: ['/images/'],
  });
  const head = loaderTag(manifest);
  const variants: [string, Pages][] = [
    ['origin', { first: site.page('/p/origin.html', html('', images(IMAGES, 'src', (i) => `/images/o/${i}.png`), IMAGES)) }],
    ['edge', { first: site.page('/p/edge.html', html('', images(IMAGES, 'src', (i) => `${a.url}/images/e/${i}.png`), IMAGES)) }],
    [
      'loader',
      {
        first: site.page('/p/loader-1.html', html(head, images(IMAGES, 'data-cdn-src', (i) => `/images/l1/${i}.png`), IMAGES)),
        next: site.page('/p/loader-2.html', html(head, images(IMAGES, 'data-cdn-src', (i) => `/images/l2/${i}.png`), IMAGES)),
      },
    ],
  ];
  const runs = new Map<string, PageTime[]>();
  const add = (k: string, t: PageTime) => runs.set(k, [...(runs.get(k) ?? []), t]);
  for (let rep = 1; rep <= o.repeats; rep++) {
    if (rep > 1 && !clock.fits(20000)) {
      clock.log(`images: time budget: stopping after ${rep - 1} repetitions`);
      break;
    }
    for (const [name, pages] of variants) {
      const [first, next] = await pair(browser, site, pages, o.cutoff);
      add(pages.next ? `${name}/first` : name, first);
      if (next) add(`${name}/next`, next);
      clock.log(`images ${rep}/${o.repeats} ${name}: ${show(first)}${next ? `, next page ${show(next)}` : ''}`);
    }
  }
  return [...runs].map(([k, s]) => summarize(k, s));
}

/**
 * Sections 3 and 4: each fault of edge a, with cdn-loader (manifest: edge a, then the origin) and
 * with assets-retry (domain list: edge a, then the origin), first page and next page. A pair whose
 * runs all hit the cut-off is not repeated: it would only hit it again.
 */
export async function failover(browser: Browser, site: Site, clock: Clock, o: PageLoadOptions): Promise<Series[]> {
  const { origin, a } = site.servers;
  const manifest = site.manifest('/m/one.json', { origin: origin.url, edges: [{ id: 'a', url: a.url }], assets: ['/images/'] });
  const peers: [string, Pages][] = [
    [
      'cdn-loader',
      {
        first: site.page('/f/loader-1.html', html(loaderTag(manifest), images(IMAGES, 'data-cdn-src', (i) => `/images/f1/${i}.png`), IMAGES)),
        next: site.page('/f/loader-2.html', html(loaderTag(manifest), images(IMAGES, 'data-cdn-src', (i) => `/images/f2/${i}.png`), IMAGES)),
      },
    ],
    [
      'assets-retry',
      {
        first: site.page('/f/retry-1.html', html(assetsRetryTag(site), images(IMAGES, 'src', (i) => `${a.url}/images/r1/${i}.png`), IMAGES)),
        next: site.page('/f/retry-2.html', html(assetsRetryTag(site), images(IMAGES, 'src', (i) => `${a.url}/images/r2/${i}.png`), IMAGES)),
      },
    ],
  ];
  const runs = new Map<string, PageTime[]>();
  const allCut = new Set<string>();
  /** How long each pair took last time, to tell whether another run still fits in the time budget. */
  const took = new Map<string, number>();
  for (let rep = 1; rep <= o.failoverRepeats; rep++)
    for (const fault of FAULTS)
      for (const [peer, pages] of peers) {
        const key = `${fault.name}/${peer}`;
        if (allCut.has(key)) continue;
        if (rep > 1 && !clock.fits(Math.min(2 * o.cutoff, 2 * (took.get(key) ?? o.cutoff) + 5000))) {
          clock.log(`failover ${rep}/${o.failoverRepeats} ${key}: skipped, over the time budget`);
          continue;
        }
        const t0 = Date.now();
        await site.reset();
        await site.a.set(fault.knobs);
        let times: PageTime[];
        try {
          times = await pair(browser, site, pages, o.cutoff);
        } finally {
          await site.reset();
        }
        runs.set(`${key}/first`, [...(runs.get(`${key}/first`) ?? []), times[0]]);
        runs.set(`${key}/next`, [...(runs.get(`${key}/next`) ?? []), times[1]]);
        took.set(key, Date.now() - t0);
        if (times.every((t) => t.ms === null)) allCut.add(key);
        clock.log(`failover ${rep}/${o.failoverRepeats} ${fault.name} ${peer}: first ${show(times[0])}, next ${show(times[1])}`);
      }
  return [...runs].map(([k, s]) => summarize(k, s));
}
