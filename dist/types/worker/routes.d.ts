import type { Config } from '../manifest/manifest.js';
/** A Static Routing rule (Chromium's `InstallEvent.addRoutes`), with URL patterns as URLPatternInit. */
export interface Route {
    condition: {
        urlPattern?: Record<string, string>;
        requestMode?: string;
        requestMethod?: string;
    };
    source: 'network' | 'fetch-event';
}
/**
 * The Static Routing rules of a manifest: probes, navigations and every method but GET go to the
 * network; requests to a registered path on the origin (or the worker's own origin) and anything on
 * an edge come to the worker's fetch handler; everything else goes to the network, so that it never
 * wakes the worker. A superset of what the handler takes (globs match across segments here): the
 * handler decides exactly, and passes through what it does not take.
 */
export declare function routes(cfg: Config, selfOrigin: string): Route[];
