import type { Manifest } from '../types.js';
import type { Store } from './store.js';
/** Where the manifest comes from and how the page overrides it, read from the script tag and the page URL. */
export interface TagOptions {
    manifest: string | Manifest | null;
    mode?: string;
    debug?: boolean;
    manifestTimeout?: number;
}
/** Reads `data-manifest`, `data-mode`, `data-debug`, `data-manifest-timeout`; `?cdn=` and `?cdn-debug=` win over both. */
export declare function readTag(tag: Element | null, pageUrl: string): TagOptions;
/** Applies `?cdn=always|round-robin|off` and `?cdn-debug=1` from the page URL. */
export declare function withQuery(o: TagOptions, pageUrl: string): TagOptions;
export type Loaded = {
    ok: true;
    value: unknown;
} | {
    ok: false;
    error: string;
};
/**
 * Gets the manifest: inline JSON, a `#id` JSON script, or a URL. A manifest fetched by URL is
 * cached; a later page starts from the cached copy at once (`cached`) and refreshes it for the page after.
 */
export declare function loadManifest(spec: string | Manifest, pageUrl: string, store: Store, doc: Document | undefined): {
    cached?: Loaded;
    fresh: Promise<Loaded>;
};
