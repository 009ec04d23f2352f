import type { Manifest } from '../types.js';
import type { Store } from './store.js';
/** Where the manifest comes from and how the page overrides it. */
export interface TagOptions {
    manifest?: string | Manifest | null;
    mode?: string;
    debug?: boolean;
    manifestTimeout?: number;
    /** The CSP nonce of the loader's tag, for what it inserts. */
    nonce?: string;
}
/** Reads `data-manifest`, `data-mode`, `data-debug` and `data-manifest-timeout` from the loader's tag. */
export declare function readTag(tag: Element | null, pageUrl: string): TagOptions;
/** `?cdn=always|round-robin|off` and `?cdn-debug=1` on the page URL win over everything else. */
export declare function withQuery<T extends TagOptions>(o: T, pageUrl: string): T;
/** A manifest as read: its parsed JSON, or the message that says why it could not be read. */
export type Loaded = {
    ok: true;
    value: unknown;
} | {
    ok: false;
    error: string;
};
/**
 * Gets the manifest: inline JSON, a `#id` JSON script, or a URL. A manifest fetched by URL is cached:
 * a later page starts from the cached copy at once (`cached`) while `fresh` refreshes it.
 */
export declare function loadManifest(spec: string | Manifest, pageUrl: string, store: Store, doc?: Document): {
    cached?: Loaded;
    fresh: Promise<Loaded>;
};
