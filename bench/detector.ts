// Section 8: the failure detector on real networks and busy pages (issue 12), this build against a
// baseline build (by default dist/ of `git merge-base HEAD main`), interleaved run by run:
//   - slow link: CDP 40 ms, 4 Mbit/s; 3 images of ~1 MB and 10 small ones; two healthy edges;
//   - slow CPU: CDP CPU throttling 4× and 6×; 200 images and 5 scripts; one healthy edge;
//   - a 700 ms long task while 30 answers arrive (one healthy edge);
//   - a hang on a first visit: origin 150 ms away, the only edge blackholed, 10 Mbit/s, 40 images,
//     against the plain page that points at the origin.
// Per run: requests per resource, the origin's share of them, edges marked down, main-thread ms
// (CDP Performance.getMetrics TaskDuration) and ms until every image was shown.
import type { Browser, CDPSession, Page } from '@playwright/test';
import { distAt } from './baseline.js';
import { png } from '../e2e/servers.js';
import { newContext, recorded } from './browser.js';
import { html, type Site } from './site.js';
import { median, type Clock } from './stats.js';

export interface DetectorRun {
  /** Requests for the scenario's resources over every server, per resource. */
  perResource: number;
  /** Share of those requests that went to the origin. */
  originShare: number;
  edgesDown: number;
  mainThreadMs: number;
  /** ms from navigation until every image was shown, or null (cut off). */
  ms: number | null;
}

export interface DetectorResult {
  key: string;
  label: string;
  build: 'this' | 'baseline' | 'plain origin page';
  runs: DetectorRun[];
  perResource: number | null;
  originShare: number | null;
  edgesDown: number | null;
  mainThreadMs: number | null;
  ms: number | null;
}

/** The baseline loader: dist/cdn-loader.js of a git revision (default: where this branch left main). */
export const baselineLoader = (rev?: string): Buffer | null => distAt('cdn-loader.js', rev);

interface Scenario {
  key: string;
  label: string;
  resources: number;
  /** Sets the servers up; returns the page body, the manifest and a cleanup. */
  setup(site: Site, id: string): Promise<{ body: string; manifest: object; head?: string }>;
  /** CDP conditions for the page. */
  conditions(cdp: CDPSession): Promise<unknown>;
  /** After the page has loaded its images: e.g. a long task. */
  during?(page: Page, site: Site, id: string): Promise<void>;
  /** Also time the plain page pointing at the origin. */
  plain?: boolean;
}

const BIG = png(90, 90, 90, 580);
const edge = (s: { name: string; url: string }) => ({ id: s.name, url: s.url });

const scenarios: Scenario[] = [
  {
    key: 'slow-link',
    label: 'slow link (40 ms, 4 Mbit/s): 3 × 1 MB + 10 small images, two healthy edges, auto',
    resources: 13,
    async setup(site, id) {
      for (const s of [site.origin, site.a, site.servers.b]) for (let i = 0; i < 3; i++) s.file(`/images/${id}/big${i}.png`, BIG, 'image/png');
      const body = [0, 1, 2].map((i) => `<img class="b" data-cdn-src="/images/${id}/big${i}.png" alt="">`).join('') + imgs(10, id, 'data-cdn-src');
      return { body, manifest: { origin: site.origin.url, edges: [edge(site.a), edge(site.servers.b)], assets: ['/images/'], failover: { timeout: 'auto' } } };
    },
    conditions: async (cdp) => {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 4e6 / 8, uploadThroughput: 1e6 / 8 });
    },
  },
  ...[4, 6].map(
    (rate): Scenario => ({
      key: `slow-cpu-${rate}`,
      label: `slow CPU (${rate}×): 200 images + 5 scripts, one healthy edge, always`,
      resources: 205,
      async setup(site, id) {
        const scripts = [0, 1, 2, 3, 4].map((i) => `<script data-cdn-src="/js/${id}/s${i}.js"></script>`).join('');
        return { body: imgs(200, id, 'data-cdn-src') + scripts, manifest: { origin: site.origin.url, edges: [edge(site.a)], assets: ['/images/', '/js/'] } };
      },
      conditions: (cdp) => cdp.send('Emulation.setCPUThrottlingRate', { rate }),
    }),
  ),
  {
    key: 'long-task',
    label: 'a 700 ms long task while 30 answers arrive (one healthy edge)',
    resources: 30,
    async setup(site, id) {
      await site.a.set({ fault: 'slow', delay: 300 }, `/images/${id}/`);
      return { body: '', manifest: { origin: site.origin.url, edges: [edge(site.a)], assets: ['/images/'] } };
    },
    conditions: async () => {},
    async during(page, _site, id) {
      await page.evaluate((id) => {
        document.documentElement.dataset.expect = '30';
        for (let i = 0; i < 30; i++) {
          const img = document.createElement('img');
          img.className = 'b';
          img.setAttribute('data-cdn-src', `/images/${id}/t${i}.png`);
          document.body.appendChild(img);
        }
        setTimeout(() => {
          const end = performance.now() + 700;
          while (performance.now() < end);
        }, 50);
      }, id);
    },
  },
  {
    key: 'first-hang',
    label: 'first visit, the only edge blackholed: origin 150 ms away, 10 Mbit/s, 40 images',
    resources: 40,
    plain: true,
    async setup(site, id) {
      await site.origin.set({ fault: 'slow', delay: 150 });
      await site.a.set({ fault: 'blackhole' });
      return { body: imgs(40, id, 'data-cdn-src'), manifest: { origin: site.origin.url, edges: [edge(site.a)], assets: ['/images/'] } };
    },
    conditions: async (cdp) => {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 });
    },
  },
];

function imgs(n: number, id: string, attr: 'src' | 'data-cdn-src'): string {
  return Array.from({ length: n }, (_, i) => `<img class="b" ${attr}="/images/${id}/${i}.png" alt="">`).join('\n');
}

let serial = 0;

async function once(browser: Browser, site: Site, sc: Scenario, build: DetectorResult['build'], cutoff: number): Promise<DetectorRun> {
  const id = `${sc.key}-${build === 'this' ? 'n' : build === 'baseline' ? 'o' : 'p'}${serial++}`;
  await site.reset();
  try {
    const { body, manifest } = await sc.setup(site, id);
    const m = site.manifest(`/m/${id}.json`, manifest);
    const loader = build === 'baseline' ? '/old/cdn-loader.js' : '/cdn-loader.js';
    const head = build === 'plain origin page' ? '' : `<script src="${loader}" data-manifest="${m}"></script>`;
    const url = site.page(`/d/${id}.html`, html(head, build === 'plain origin page' ? body.replace(/data-cdn-src/g, 'src') : body, sc.during ? 0 : sc.resources - (sc.key.startsWith('slow-cpu') ? 5 : 0)));
    const ctx = await newContext(browser);
    try {
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable');
      await sc.conditions(cdp);
      const t0 = Date.now();
      await page.goto(url, { waitUntil: 'commit', timeout: cutoff });
      if (sc.during) {
        await page.waitForFunction(() => document.readyState !== 'loading');
        await sc.during(page, site, id);
      }
      let ms: number | null = null;
      try {
        await page.waitForFunction(() => (window as unknown as { __bench?: { done: number } }).__bench?.done, undefined, { timeout: Math.max(1, cutoff - (Date.now() - t0)), polling: 50 });
        ms = Math.round((await recorded(page)).done);
      } catch {
        // Cut off.
      }
      // Every resource settled (scripts included), and late answers had their chance to add requests.
      await page
        .waitForFunction((n) => (window as unknown as { __bench: { events: { type: string }[] } }).__bench.events.filter((e) => e.type === 'cdn:load' || e.type === 'cdn:error').length >= n, build === 'plain origin page' ? 0 : sc.resources, { timeout: 10000 })
        .catch(() => undefined);
      const metrics = (await cdp.send('Performance.getMetrics')).metrics;
      const task = metrics.find((x) => x.name === 'TaskDuration')?.value ?? 0;
      const events = (await recorded(page)).events;
      const mine = (p: string) => p.includes(`/${id}/`);
      const total = Object.values(site.servers).reduce((n, s) => n + s.hits(mine).length, 0);
      return {
        perResource: total / sc.resources,
        originShare: total ? site.origin.hits(mine).length / total : 0,
        edgesDown: events.filter((e) => e.type === 'cdn:edge' && e.state === 'down').length,
        mainThreadMs: Math.round(task * 1000),
        ms,
      };
    } finally {
      await ctx.close();
    }
  } finally {
    await site.reset();
  }
}

/** Runs every scenario `repeats` times with this build and the baseline, interleaved. */
export async function detector(browser: Browser, site: Site, clock: Clock, repeats: number, cutoff: number, baseline: Buffer | null): Promise<DetectorResult[]> {
  if (baseline) site.origin.file('/old/cdn-loader.js', baseline, 'text/javascript');
  const out: DetectorResult[] = [];
  for (const sc of scenarios) {
    const builds: DetectorResult['build'][] = ['this', ...(baseline ? (['baseline'] as const) : []), ...(sc.plain ? (['plain origin page'] as const) : [])];
    const runs = new Map<string, DetectorRun[]>(builds.map((b) => [b, []]));
    for (let rep = 1; rep <= repeats; rep++) {
      if (rep > 1 && !clock.fits(30000)) break;
      for (const b of builds) {
        const r = await once(browser, site, sc, b, cutoff);
        runs.get(b)!.push(r);
        clock.log(`detector ${rep}/${repeats} ${sc.key} ${b}: ${r.ms ?? 'cut off'} ms, ${r.perResource.toFixed(2)} req/resource, origin ${(r.originShare * 100).toFixed(0)} %, ${r.edgesDown} down, main thread ${r.mainThreadMs} ms`);
      }
    }
    for (const b of builds) {
      const rs = runs.get(b)!;
      out.push({
        key: sc.key,
        label: sc.label,
        build: b,
        runs: rs,
        perResource: median(rs.map((r) => r.perResource)),
        originShare: median(rs.map((r) => r.originShare)),
        edgesDown: median(rs.map((r) => r.edgesDown)),
        mainThreadMs: median(rs.map((r) => r.mainThreadMs)),
        ms: median(rs.map((r) => r.ms)),
      });
    }
  }
  return out;
}
