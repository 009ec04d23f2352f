import type { Manifest } from '../types.js';
import type { Store } from '../lib/store.js';
import { type Config } from './manifest.js';
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
export declare function readTag(tag: Element | null): TagOptions;
/** `?cdn=always|round-robin|off` and `?cdn-debug=1` on the page URL win over everything else. */
export declare function withQuery<T extends TagOptions>(o: T, pageUrl: string): T;
/** A manifest as read: validated, or (a string) the message that says why it cannot be used. */
export type Loaded = Config | string;
/**
 * Gets the manifest: inline JSON, a `#id` JSON script, or a URL. A manifest fetched by URL is cached:
 * a later page starts from the cached copy at once (`cached`) while `fresh` refreshes it. The site
 * takes it back by answering 404 or 410 (the copy is dropped); while the URL answers anything else
 * that is not a valid manifest, the copy is used for `maxStale` ms more, then no longer.
 */
export declare function loadManifest(spec: string | Manifest, pageUrl: string, store: Store, doc?: Document): {
    cached?: Config;
    fresh: Promise<Loaded>;
};
/**
 * Applies the manifest through `use`: the cached copy at once, else the fresh one when it comes, or
 * the origin-only fallback after `manifestTimeout` ms. Returns the fresh manifest being revalidated.
 */
export declare function startManifest(o: TagOptions, pageUrl: string, store: Store, use: (r: Loaded) => void): Promise<Loaded> | undefined;
