import type { Config } from '../manifest/manifest.js';

/** A Static Routing rule (Chromium's `InstallEvent.addRoutes`), with URL patterns as URLPatternInit. */
export interface Route {
  condition: { urlPattern?: Record<string, string>; requestMode?: string; requestMethod?: string };
  source: 'network' | 'fetch-event';
}

/** Above this many rules, the origin's paths are routed as a whole: browsers cap the rules of a worker. */
const MAX = 64;

/** Escapes what URLPattern treats as syntax, so a path matches itself. */
const literal = (s: string) => s.replace(/[\\:*?+(){}]/g, '\\$&');

/** A manifest path pattern as a URLPattern pathname: a prefix, a glob (`*`, `**` → `*`) or an exact path. */
const pathname = (base: string, p: string) =>
  literal(base) + p.split(/\*+/).map(literal).join('*') + (p.endsWith('/') ? '*' : '');

/** `protocol`, `hostname`, `port` and the base path of a source URL, as URLPattern fields. */
function host(url: string): { init: Record<string, string>; path: string } {
  const u = new URL(url);
  return { init: { protocol: u.protocol.slice(0, -1), hostname: u.hostname, port: u.port }, path: u.pathname.replace(/\/$/, '') };
}

/**
 * The Static Routing rules of a manifest: probes, navigations and every method but GET go to the
 * network; requests to a registered path on the origin (or the worker's own origin) and anything on
 * an edge come to the worker's fetch handler; everything else goes to the network, so that it never
 * wakes the worker. A superset of what the handler takes (globs match across segments here): the
 * handler decides exactly, and passes through what it does not take.
 */
export function routes(cfg: Config, selfOrigin: string): Route[] {
  // Every field spelt out: Chromium reads the fields left out from the worker's own URL.
  const all = (init: Record<string, string>) => ({ protocol: '*', hostname: '*', port: '*', pathname: '*', search: '*', hash: '*', ...init });
  const network = (condition: Route['condition']): Route => ({ condition: condition.urlPattern ? { urlPattern: all(condition.urlPattern) } : condition, source: 'network' });
  const take = (urlPattern: Record<string, string>): Route => ({ condition: { urlPattern: all(urlPattern) }, source: 'fetch-event' });
  const origins = [...new Set([cfg.origin.url, selfOrigin])].map(host);
  const edges = cfg.edges.map((e) => host(e.url));
  const exact = cfg.rules.length * origins.length + edges.length <= MAX;
  return [
    network({ urlPattern: { search: '*cdn-probe=*' } }),
    network({ requestMode: 'navigate' }),
    ...['POST', 'PUT', 'DELETE', 'PATCH'].map((m) => network({ requestMethod: m })),
    ...origins.flatMap((o) => (exact ? cfg.rules.map((r) => take({ ...o.init, pathname: pathname(o.path, r.path) })) : [take({ ...o.init, pathname: literal(o.path) + '/*' })])),
    ...edges.map((e) => take({ ...e.init, pathname: literal(e.path) + '/*' })),
    network({ urlPattern: {} }),
  ];
}
