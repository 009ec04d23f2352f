import type { Store } from './store.js';
/** Manifests longer than this (characters of JSON) are not cached, so the loader's storage stays bounded. */
export declare const MAX_CACHED = 1000000;
/** What a page knows of the cached copy of the manifest at `url`. */
export interface ManifestCache {
    /** The cached manifest, if it is this URL's. */
    value?: unknown;
    /** Since when the URL has answered something unreadable; 0 when its last answer was good. */
    failing: number;
    /** Replaces the entry (a manifest of any older version or URL is evicted). */
    save(manifest: unknown): void;
    /** The URL answered something unreadable: the copy is kept, from now on for a bounded time. */
    fail(now: number): void;
    /** The manifest is withdrawn (404/410): the copy is dropped. */
    drop(): void;
}
/**
 * One key holds one manifest, so a versioned manifest URL (`?v=N`) never adds a key per deploy; a
 * write replaces the entry whole or, when the quota refuses it, removes it: never half an entry.
 */
export declare function manifestCache(store: Store, url: string): ManifestCache;
