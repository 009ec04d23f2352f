/**
 * The manifest's types. They use no DOM type, so a Node build script (with no "dom" lib) can
 * `import type { Manifest } from 'cdn-loader/manifest'`; `cdn-loader` re-exports them.
 */
/** How registered resources choose their source. */
export type Mode = 'always' | 'round-robin' | 'off';
/** An edge host as written in the manifest. */
export interface EdgeInput {
    /** Name used in events and reports; defaults to the URL's host. */
    id?: string;
    /** Absolute http(s) URL; an asset's edge URL is this plus the asset's path. */
    url: string;
    /** Share in round-robin and sticky mode; default 1. */
    weight?: number;
}
/** A registered asset with its own options. */
export interface AssetInput {
    /** Exact path, prefix ending in `/`, or glob with `*` / `**`. */
    path: string;
    /** Overrides the global mode for this asset. */
    mode?: Mode;
    /** Subresource Integrity hash, checked whichever source serves it (exact paths only). */
    integrity?: string;
}
/** The JSON manifest (docs/manifest.md). */
export interface Manifest {
    $schema?: string;
    mode?: Mode;
    origin?: string | {
        url: string;
        weight?: number;
    };
    edges?: (string | EdgeInput)[];
    assets?: (string | AssetInput)[];
    /** Round-robin maps each path to the same source every time (rendezvous hashing). */
    sticky?: boolean;
    probe?: {
        type?: 'image' | 'fetch';
        path?: string;
        timeout?: number;
        interval?: number;
        /** How long remembered edge health is trusted on later pages, in ms. */
        ttl?: number;
    };
    failover?: {
        timeout?: number | 'auto';
        retries?: number;
    };
    debug?: boolean;
    /**
     * Accepted (0–60000) but not used: the wait for a manifest is set by `data-manifest-timeout` on the
     * tag or `init({ manifestTimeout })`, since a manifest not yet known cannot set it.
     */
    manifestTimeout?: number;
    /**
     * Ms a cached copy of this manifest is still used while its URL answers something unreadable
     * (counted from the first such answer); default 86400000 (a day), 0–2592000000. A 404 or 410
     * drops the copy at once.
     */
    maxStale?: number;
    /**
     * Path of `cdn-loader-sw.js` on this site (e.g. `"/cdn-loader-sw.js"`): the loader registers it, and it
     * fails over every request of a registered path the page makes (see docs/service-worker.md). Off when absent.
     */
    serviceWorker?: string;
}
