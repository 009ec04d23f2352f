import type { Store } from './store.js';

/** Everything the loader caches of manifests: one entry per page origin, under one key. */
const KEY = 'cdn-loader:manifest';
/** Manifests longer than this (characters of JSON) are not cached, so the loader's storage stays bounded. */
export const MAX_CACHED = 1e6;

/** The manifest URL, the manifest (validated when saved), and since when its URL answers unreadably (0: it does not). */
type Entry = [url: string, manifest: unknown, failing: number];

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
export function manifestCache(store: Store, url: string): ManifestCache {
  const e = store.get(KEY) as Entry | undefined;
  const mine = Array.isArray(e) && e[0] === url;
  const put = (m: unknown, failing: number) => store.set(KEY, [url, m, failing]) || store.remove(KEY);
  return {
    value: mine ? e[1] : undefined,
    failing: mine ? +e[2] || 0 : 0,
    save: (m) => put(m, 0),
    fail(now) {
      if (mine && !e[2]) put(e[1], now);
    },
    drop() {
      if (mine) store.remove(KEY);
    },
  };
}
