// Section 8: what the service worker costs a navigation. The same page (30 images) is opened twice in a
// fresh profile, and the second navigation is timed (until all its images have loaded): without the worker, with it (controlling the
// page; the images are not registered, so Static Routing keeps them off the worker), and with it
// serving registered plain <img src> from the edges. Variants run interleaved, repetition by repetition.
import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { newContext, timeImages, type PageTime } from './browser.js';
import { html, images, loaderTag, type Site } from './site.js';
import { median, type Clock } from './stats.js';

export const WORKER_IMAGES = 30;

export interface WorkerSeries {
  key: string;
  label: string;
  samples: (number | null)[];
  median: number | null;
  /** Which server served the images of the median run (server logs: the URLs stay the origin's under the worker). */
  sources: Record<string, number>;
}

export async function workerNavigation(browser: Browser, site: Site, clock: Clock, repeats: number, cutoff: number): Promise<WorkerSeries[]> {
  const { origin, a, b, c } = site.servers;
  origin.file('/cdn-loader-sw.js', readFileSync('dist/cdn-loader-sw.js'), 'text/javascript');
  const base = { origin: origin.url, edges: [a, b, c].map((s) => ({ id: s.name, url: s.url })), assets: ['/images/'] };
  const off = site.manifest('/m/sw-off.json', base);
  const on = site.manifest('/m/sw-on.json', { ...base, serviceWorker: '/cdn-loader-sw.js' });
  const variants: [string, string, (rep: number) => string][] = [
    ['without', 'no worker; 30 images not registered', (rep) => site.page(`/sw/off-${rep}.html`, html(loaderTag(off), images(WORKER_IMAGES, 'src', (i) => `/u/${rep}/${i}.png`), WORKER_IMAGES))],
    ['with', 'worker in control; the same 30 images, not registered', (rep) => site.page(`/sw/on-${rep}.html`, html(loaderTag(on), images(WORKER_IMAGES, 'src', (i) => `/u/${rep}/w${i}.png`), WORKER_IMAGES))],
    ['registered', 'worker in control; 30 plain <img src> registered: from the edges', (rep) => site.page(`/sw/reg-${rep}.html`, html(loaderTag(on), images(WORKER_IMAGES, 'src', (i) => `/images/sw/${rep}/${i}.png`), WORKER_IMAGES))],
  ];
  const runs = new Map<string, PageTime[]>();
  for (let rep = 1; rep <= repeats; rep++) {
    if (rep > 1 && !clock.fits(20000)) {
      clock.log(`service worker: time budget: stopping after ${rep - 1} repetitions`);
      break;
    }
    // The order turns with every repetition, so that whatever the first of a round pays is spread evenly.
    for (const [key, , page] of variants.map((_, i) => variants[(i + rep) % variants.length])) {
      const ctx = await newContext(browser);
      try {
        const p = await ctx.newPage();
        const url = page(rep);
        // The first visit registers the worker (when the manifest names it) and waits until it controls the page.
        await p.goto(url);
        if (key !== 'without') await p.waitForFunction(() => !!navigator.serviceWorker.controller, undefined, { timeout: cutoff });
        const seen = new Map(Object.values(site.servers).map((s) => [s, s.log.length]));
        const t = await timeImages(p, url.replace(/\.html$/, '.html?second'), cutoff, site.nameOf);
        t.sources = {};
        for (const [s, n] of seen) {
          const got = s.log.slice(n).filter((h) => /\.png$/.test(h.path) && h.status === 200).length;
          if (got) t.sources[s.name] = got;
        }
        runs.set(key, [...(runs.get(key) ?? []), t]);
        clock.log(`service worker ${key} #${rep}: ${t.ms === null ? 'cut off' : t.ms + ' ms'}`);
      } finally {
        await ctx.close();
      }
    }
  }
  return variants.map(([key, label]) => {
    const samples = runs.get(key) ?? [];
    const m = median(samples.map((s) => s.ms));
    const mid = samples.find((s) => s.ms === m) ?? samples[0];
    return { key, label, samples: samples.map((s) => s.ms), median: m, sources: mid?.sources ?? {} };
  });
}
