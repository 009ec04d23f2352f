import type { Store } from '../lib/store.js';
/**
 * The loader caches one manifest per page origin, under one key, so a versioned manifest URL
 * (`?v=N`) never adds a key per deploy: [its URL, the manifest's JSON text (validated when saved), since when
 * its URL answers something unreadable (0: it does not)].
 */
export type Cached = [url: string, manifest: string, failing: number];
/** Manifests longer than this (characters of JSON) are not cached, so the loader's storage stays bounded. */
export declare const MAX_CACHED = 1000000;
/** The cached entry, if it is the manifest at `url`. */
export declare const readCache: (store: Store, url: string) => Cached | undefined;
/** Replaces the entry whole, or removes it (no entry, or a write the quota refuses): never half an entry, never an older one. */
export declare const writeCache: (store: Store, e?: Cached | false) => unknown;
