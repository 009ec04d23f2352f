import type { Plugin } from 'vite';
import type { AssetInput, EdgeInput, Manifest, Mode } from './types/types.js';
/** Options of the Vite plugin: the hosts are all it needs. */
export interface CdnLoaderOptions {
    /** The edges: URLs (`https://cdn-eu.example.org`) or `{ id, url, weight }`. At least one. */
    edges: (string | EdgeInput)[];
    /** Where the assets also live; default: the page's own origin. */
    origin?: string | {
        url: string;
        weight?: number;
    };
    /** `always` (default), `round-robin` or `off`. */
    mode?: Mode;
    /** More `assets` entries, for files that are not in the build output (e.g. `"/images/"` of `public/`). */
    assets?: (string | AssetInput)[];
    /** Other manifest fields, as in cdn-manifest.json. */
    sticky?: boolean;
    probe?: Manifest['probe'];
    failover?: Manifest['failover'];
    debug?: boolean;
    /**
     * `"inline"` (default): each page carries its manifest in the loader's tag, so the first visit waits
     * for nothing but the loader (docs/vite.md shows the measurement). `"link"`: pages name
     * /cdn-manifest.json and preload it beside the loader; later pages start from the cached copy.
     */
    manifest?: 'inline' | 'link';
    /**
     * With the manifest inline (default true): each page carries the inline boot (dist/cdn-loader-boot.js)
     * and loads the runtime `async`, so a first visit starts its images without waiting for a script from
     * the origin (docs/first-visit.md). False: the one loader tag. The boot and the runtime take the page's
     * nonce (`html.cspNonce`); a page whose <meta> CSP blocks the boot gets the runtime as one tag (the build
     * warns); a CSP sent as a header needs the boot's hash (docs/static-sites.md), or `boot: false`.
     */
    boot?: boolean;
    /**
     * Images and stylesheets of mode `always` keep a plain URL at the first edge (stylesheets with their
     * integrity), so the browser fetches them with the HTML; the runtime watches them for hangs. Default
     * false; needs the inline boot (not `boot: false` or `manifest: 'link'`). docs/vite.md has the trade-offs.
     */
    plainUrls?: boolean;
    /**
     * Returning visits without the inline boot's bytes (default false; needs the inline boot): the boot also
     * goes beside the pages as `cdn-loader-boot.<hash>.js`, every page's boot names it (the runtime caches it
     * and sets the cookie `cdn_boot`), and every page gets a twin in `cdn-returning/<hash>/` that loads it by
     * URL, for an origin that picks by the cookie (recipes/nginx-origin.conf; a site at the root, `base: '/'`).
     */
    returning?: boolean;
    /**
     * Asset URLs inside scripts are written relative to the script (default true), so a chunk that an
     * edge serves loads its images and chunks from the same edge, and dynamic imports preload there.
     * Turn it off for an SSR app whose server renders the same URLs (docs/ssr.md).
     */
    relativeUrls?: boolean;
    /**
     * The service worker (dist/cdn-loader-sw.js, docs/service-worker.md). When true, the plugin emits it
     * at `<base>cdn-loader-sw.js` and names it in the manifest (`serviceWorker`), so the loader registers
     * it: chunks, CSS `url()`s and fonts the page never names then fail over too.
     */
    serviceWorker?: boolean;
}
/**
 * The Vite plugin. `vite build` then writes cdn-manifest.json (every file of the build registered, with
 * the integrity of every script and stylesheet), the loader, the probe image, and pages that load their
 * registered resources through the loader. `vite` (the dev server) is left as it is.
 */
export default function cdnLoader(options: CdnLoaderOptions): Plugin;
