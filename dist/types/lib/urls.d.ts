import type { Source } from '../manifest/manifest.js';
/** The absolute form of `url` (relative to `base`) when it is http(s), else ''. */
export declare function httpUrl(url: string, base: string): string;
/**
 * Where an absolute URL points: the source whose URL is its longest prefix (none: on the page's origin),
 * and the asset path after it.
 */
export declare function locate(url: string, sources: readonly Source[], pageOrigin: string): {
    source?: Source;
    path: string;
} | undefined;
/** Rewrites every URL in a `srcset` value, keeping the descriptors; a `data:` image stays as written. */
export declare const mapSrcset: (value: string, map: (url: string) => string) => string;
