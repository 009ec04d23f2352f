import type { Store } from '../lib/store.js';

/**
 * The loader caches one manifest per page origin, under one key, so a versioned manifest URL
 * (`?v=N`) never adds a key per deploy: [its URL, the manifest's JSON text (validated when saved), since when
 * its URL answers something unreadable (0: it does not)].
 */
export type Cached = [url: string, manifest: string, failing: number];

const KEY = 'cdn-loader:manifest';

/** Manifests longer than this (characters of JSON) are not cached, so the loader's storage stays bounded. */
export const MAX_CACHED = 1e6;

/** The cached entry, if it is the manifest at `url`. */
export const readCache = (store: Store, url: string): Cached | undefined => {
  const e = store.get(KEY) as Cached | undefined;
  return Array.isArray(e) && e[0] === url ? e : undefined;
};

/** Replaces the entry whole, or removes it (no entry, or a write the quota refuses): never half an entry, never an older one. */
export const writeCache = (store: Store, e?: Cached | false): unknown => (e && store.set(KEY, e)) || store.remove(KEY);
