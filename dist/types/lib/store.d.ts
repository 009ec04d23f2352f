/** localStorage that never throws: missing, blocked (Safari private mode, sandboxed iframes) or full storage reads as empty. */
export interface Store {
    get(key: string): unknown;
    set(key: string, value: unknown): void;
}
/** Wraps a Storage-like object; every failure is swallowed, since storage is only ever a cache. */
export declare function safeStore(getStorage: () => Pick<Storage, 'getItem' | 'setItem'> | null | undefined): Store;
