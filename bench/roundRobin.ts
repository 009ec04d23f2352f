// Section 7: round-robin fairness. A page of 100 images in round-robin mode over the origin
// (weight 1) and edges a, b, c (weights 3, 2, 1). The deviation of a source is |served − share of
// the weights|; reported is the largest over the sources at the end of the page, and the largest
// over every prefix of the page in document order (how evenly the sources alternate).
import type { Browser } from '@playwright/test';
import { newContext, recorded, timeImages } from './browser.js';
import { html, images, loaderTag, type Site } from './site.js';
import { median, type Clock } from './stats.js';

export const WEIGHTS: Record<string, number> = { origin: 1, a: 3, b: 2, c: 1 };
const N = 100;

export interface RoundRobinResult {
  weights: Record<string, number>;
  /** Resources served per source, per page. */
  counts: Record<string, number>[];
  /** Largest |served − expected| at the end of each page, in resources. */
  maxDeviation: number[];
  /** Largest |served − expected| over every prefix of each page. */
  maxPrefixDeviation: number[];
  medianMaxDeviation: number;
  medianMaxPrefixDeviation: number;
  errors: number;
}

export async function roundRobin(browser: Browser, site: Site, clock: Clock, repeats: number, cutoff: number): Promise<RoundRobinResult> {
  const { origin, a, b, c } = site.servers;
  const manifest = site.manifest('/m/rr.json', {
    mode: 'round-robin',
    origin: { url: origin.url, weight: WEIGHTS.origin },
    edges: [a, b, c].map((s) => ({ id: s.name, url: s.url, weight: WEIGHTS[s.name] })),
    assets: ['/images/'],
  });
  const url = site.page('/rr/page.html', html(loaderTag(manifest), images(N, 'data-cdn-src', (i) => `/images/rr/${i}.png`), N));
  const total = Object.values(WEIGHTS).reduce((x, y) => x + y, 0);
  const out: RoundRobinResult = { weights: WEIGHTS, counts: [], maxDeviation: [], maxPrefixDeviation: [], medianMaxDeviation: 0, medianMaxPrefixDeviation: 0, errors: 0 };
  for (let rep = 1; rep <= repeats; rep++) {
    if (rep > 1 && !clock.fits(10000)) break;
    const ctx = await newContext(browser);
    try {
      const page = await ctx.newPage();
      await timeImages(page, url, cutoff, site.nameOf);
      const r = await recorded(page);
      // Which source served each image, in document order (cdn:load names the source).
      const byIndex: string[] = [];
      for (const e of r.events) if (e.type === 'cdn:load' && e.id?.startsWith('i') && e.source) byIndex[Number(e.id.slice(1))] = e.source;
      out.errors += r.events.filter((e) => e.type === 'cdn:error' || e.type === 'cdn:fallback').length;
      const counts: Record<string, number> = Object.fromEntries(Object.keys(WEIGHTS).map((k) => [k, 0]));
      let prefixDev = 0;
      for (let i = 0; i < N; i++) {
        const s = byIndex[i] ?? 'none';
        counts[s] = (counts[s] ?? 0) + 1;
        for (const k of Object.keys(WEIGHTS)) prefixDev = Math.max(prefixDev, Math.abs(counts[k] - ((i + 1) * WEIGHTS[k]) / total));
      }
      const dev = Math.max(...Object.keys(WEIGHTS).map((k) => Math.abs(counts[k] - (N * WEIGHTS[k]) / total)));
      out.counts.push(counts);
      out.maxDeviation.push(dev);
      out.maxPrefixDeviation.push(prefixDev);
      clock.log(`round-robin ${rep}/${repeats}: ${JSON.stringify(counts)}, max deviation ${dev.toFixed(2)}`);
    } finally {
      await ctx.close();
    }
  }
  out.medianMaxDeviation = median(out.maxDeviation) ?? NaN;
  out.medianMaxPrefixDeviation = median(out.maxPrefixDeviation) ?? NaN;
  return out;
}
