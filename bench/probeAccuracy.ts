// Section 6: how well the loader's probes measure an edge's latency. Edges a, b and c answer after
// 0, 50 and 200 ms; each fresh page pings them in its first round, then `CDNLoader.probe()` pings
// them again a few times. Raw pings come from the cdn:probe events, the smoothed latency (EWMA)
// from `CDNLoader.edges()`.
import type { Browser } from '@playwright/test';
import { newContext, recorded } from './browser.js';
import { html, loaderTag, type Site } from './site.js';
import { median, type Clock } from './stats.js';

export const DELAYS = [0, 50, 200];
const PINGS = 5;

export interface ProbeResult {
  delay: number;
  /** Every raw ping's ms. */
  pings: number[];
  /** `edges()` latency at the end of each page. */
  smoothed: number[];
  pingMedian: number;
  /** Median of |ping − delay|. */
  pingError: number;
  /** Median of |smoothed − delay|. */
  smoothedError: number;
  failed: number;
}

interface EdgeRow {
  id: string;
  latency: number | null;
}

export async function probeAccuracy(browser: Browser, site: Site, clock: Clock, repeats: number): Promise<ProbeResult[]> {
  const { origin } = site.servers;
  const edges = [site.servers.a, site.servers.b, site.servers.c];
  const manifest = site.manifest('/m/probe.json', {
    origin: origin.url,
    edges: edges.map((s) => ({ id: s.name, url: s.url })),
    assets: ['/images/'],
    probe: { interval: 600000, timeout: 2000 },
  });
  const url = site.page('/pr/page.html', html(loaderTag(manifest), ''));
  const pings = new Map<string, number[]>(edges.map((e) => [e.name, []]));
  const smoothed = new Map<string, number[]>(edges.map((e) => [e.name, []]));
  const failed = new Map<string, number>();
  try {
    for (const [i, e] of edges.entries()) await e.set({ fault: 'slow', delay: DELAYS[i] });
    for (let rep = 1; rep <= repeats; rep++) {
      if (rep > 1 && !clock.fits(10000)) break;
      const ctx = await newContext(browser);
      try {
        const page = await ctx.newPage();
        await page.goto(url);
        // The first round starts with the manifest; wait for it, then ping again.
        await page.waitForFunction((n) => (window as unknown as { __bench: { events: { type: string }[] } }).__bench.events.filter((e) => e.type === 'cdn:probe').length >= n, edges.length, {
          timeout: 10000,
        });
        for (let k = 1; k < PINGS; k++) await page.evaluate(() => (window as unknown as { CDNLoader: { probe(): Promise<unknown> } }).CDNLoader.probe());
        const rows = await page.evaluate(() => (window as unknown as { CDNLoader: { edges(): EdgeRow[] } }).CDNLoader.edges());
        const r = await recorded(page);
        for (const ev of r.events.filter((e) => e.type === 'cdn:probe')) {
          if (!ev.id || !pings.has(ev.id)) continue;
          if (ev.ok && typeof ev.ms === 'number') pings.get(ev.id)!.push(ev.ms);
          else failed.set(ev.id, (failed.get(ev.id) ?? 0) + 1);
        }
        for (const row of rows) if (row.latency !== null) smoothed.get(row.id)?.push(row.latency);
        clock.log(`probe ${rep}/${repeats}: ${rows.map((x) => `${x.id} ${x.latency} ms`).join(', ')}`);
      } finally {
        await ctx.close();
      }
    }
  } finally {
    await site.reset();
  }
  return edges.map((e, i) => {
    const d = DELAYS[i];
    const p = pings.get(e.name)!;
    const s = smoothed.get(e.name)!;
    return {
      delay: d,
      pings: p,
      smoothed: s,
      pingMedian: median(p) ?? NaN,
      pingError: median(p.map((x) => Math.abs(x - d))) ?? NaN,
      smoothedError: median(s.map((x) => Math.abs(x - d))) ?? NaN,
      failed: failed.get(e.name) ?? 0,
    };
  });
}
