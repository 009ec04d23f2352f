// The benchmark's world: a loopback origin and three edges with injected latency (e2e/servers.ts),
// and the pages it opens. Every page is served by the origin, so every variant pays the same for
// its HTML; only where the images (and the loader or assets-retry) come from differs.
import { readFileSync } from 'node:fs';
import { startServer, type Knobs, type TestServer } from '../e2e/servers.js';

/** Injected latency of every answer, in ms. */
export const LATENCY = { origin: 80, a: 10, b: 25, c: 40 } as const;
export type ServerName = keyof typeof LATENCY;

/** A fault of edge a, as the failover scenarios inject it. */
export interface Fault {
  name: string;
  label: string;
  knobs: Partial<Knobs>;
}

export const FAULTS: Fault[] = [
  { name: 'healthy', label: 'no fault (edge a healthy)', knobs: { fault: 'slow', delay: LATENCY.a } },
  { name: 'refused', label: 'edge refused', knobs: { fault: 'refuse' } },
  { name: 'blackholed', label: 'edge blackholed', knobs: { fault: 'blackhole' } },
  { name: 'slow', label: 'edge slow (+2 s)', knobs: { fault: 'slow', delay: LATENCY.a + 2000 } },
  // e2e/servers.ts answers a status at once, without the edge's base latency.
  { name: 'status500', label: 'edge answers 500', knobs: { fault: 'status', status: 500 } },
];

const ASSETS_RETRY = 'node_modules/assets-retry/dist/assets-retry.umd.js';

export interface Site {
  servers: Record<ServerName, TestServer>;
  origin: TestServer;
  a: TestServer;
  /** Host and port of a server, e.g. `127.0.0.1:40123` (what assets-retry's domain list wants). */
  host(s: TestServer): string;
  /** The server a URL points at, by its port, or the URL itself. */
  nameOf(url: string): string;
  /** Puts every server back to its base latency. */
  reset(): Promise<void>;
  /** Serves `body` on the origin at `path` and returns the page's URL. */
  page(path: string, html: string): string;
  manifest(path: string, m: object): string;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  // Not `dist: true`: e2e/servers.ts finds dist/ relative to its own module URL, which points into
  // .cache/ once scripts/run.mjs has bundled it. Read once, the whole run measures one build.
  const origin = await startServer({ name: 'origin' });
  for (const f of ['cdn-loader.js', 'cdn-loader.js.map']) origin.file('/' + f, readFileSync('dist/' + f), f.endsWith('.map') ? 'application/json' : 'text/javascript');
  const a = await startServer({ name: 'a' });
  const b = await startServer({ name: 'b' });
  const c = await startServer({ name: 'c' });
  const servers: Record<ServerName, TestServer> = { origin, a, b, c };
  origin.file('/assets-retry.js', readFileSync(ASSETS_RETRY), 'text/javascript');
  const site: Site = {
    servers,
    origin,
    a,
    host: (s) => `127.0.0.1:${s.port}`,
    nameOf(url) {
      for (const s of Object.values(servers)) if (url.startsWith(s.url + '/')) return s.name;
      return url || '(none)';
    },
    async reset() {
      for (const [name, s] of Object.entries(servers)) await s.set({ fault: 'slow', delay: LATENCY[name as ServerName] });
    },
    page(path, html) {
      origin.file(path, html);
      return origin.url + path;
    },
    manifest(path, m) {
      origin.file(path, JSON.stringify(m), 'application/json');
      return path;
    },
    async close() {
      await Promise.all(Object.values(servers).map((s) => s.close()));
    },
  };
  await site.reset();
  return site;
}

/** A page: `expect` images with class "b" are what "all images loaded" counts. */
export function html(head: string, body: string, expect = 0): string {
  return `<!doctype html><html data-expect="${expect}"><head><meta charset="utf-8"><title>bench</title>\n${head}</head><body>\n${body}\n</body></html>`;
}

/** `n` benchmark images; `attr` is `src` (plain) or `data-cdn-src` (the loader's). */
export function images(n: number, attr: 'src' | 'data-cdn-src', url: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => `<img class="b" id="i${i}" ${attr}="${url(i)}" alt="">`).join('\n');
}

export const loaderTag = (manifest: string) => `<script src="/cdn-loader.js" data-manifest="${manifest}"></script>`;

/** assets-retry, configured to retry edge a's URLs on the origin (its domain list is a ring). */
export const assetsRetryTag = (site: Site) =>
  `<script src="/assets-retry.js"></script>\n<script>window.assetsRetry({ domain: ${JSON.stringify([site.host(site.a), site.host(site.origin)])} });</script>`;
