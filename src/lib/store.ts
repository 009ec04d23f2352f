/** localStorage that never throws: missing, blocked (Safari private mode, sandboxed iframes) or full storage reads as empty. */
export interface Store {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Wraps a Storage-like object; every failure is swallowed, since storage is only ever a cache. */
export function safeStore(getStorage: () => Pick<Storage, 'getItem' | 'setItem'> | null | undefined): Store {
  return {
    get(key) {
      try {
        const text = getStorage()?.getItem(key);
        return text ? JSON.parse(text) : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      try {
        getStorage()?.setItem(key, JSON.stringify(value));
      } catch {
        // Full or forbidden: the next page simply starts without the cache.
      }
    },
  };
}
