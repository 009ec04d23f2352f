import { type Config, type Source } from './manifest.js';
/** A URL as the page writes it, made absolute if it is http(s) (only that is ever set on an element), else ''. */
export declare const http: (url: string) => string;
/** A URL as the page writes it, made absolute; only http(s) is ever set on an element. */
export declare const abs: (url: string) => string;
/** Where a URL as the page writes it points under the manifest: its source (none: the page's own origin) and asset path. */
export type Where = (written: string) => {
    source?: Source;
    path: string;
} | undefined;
/**
 * Where written URLs point under the manifest in force, `cfg()`, each answer remembered for that manifest.
 * The runtime asks for an element's URLs several times as it takes the element (runtime/plainWatch.ts,
 * loader.ts `run` and `map`, the chain's events), most as the page loads: a page of 40 images asks some 200
 * times, and each ask built the list of sources and read `location.origin` again.
 */
export declare function place(cfg: () => Config): Where;
