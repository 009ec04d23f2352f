/** localStorage that never throws: missing, blocked (Safari private mode, sandboxed iframes) or full storage reads as empty. */
export interface Store {
    get(key: string): unknown;
    /** False when the value could not be written (missing, forbidden or full storage). */
    set(key: string, value: unknown): boolean;
    remove(key: string): void;
}
/** Wraps a Storage-like object; every failure is swallowed, since storage is only ever a cache. */
export declare function safeStore(getStorage: () => (Pick<Storage, 'getItem' | 'setItem'> & Partial<Pick<Storage, 'removeItem'>>) | null | undefined): Store;
