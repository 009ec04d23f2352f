import type { EdgeStatus, InitOptions, Mode } from '../types.js';
import { type TagOptions } from './source.js';
/** Elements the loader looks after. */
export declare const SELECTOR = "[data-cdn-src],[data-cdn-srcset],[data-cdn-href],[data-cdn-poster]";
interface Row {
    element: Element;
    path: string;
    source: string;
    url: string;
    state: 'loading' | 'loaded' | 'failed';
    tried: string[];
}
/** One loader per page: reads the manifest, binds elements, keeps edges probed. */
export declare class Loader {
    private _config;
    private _fallback;
    private _override?;
    private _debugOverride?;
    private _health?;
    private _monitor?;
    private _sel;
    private _bound;
    private _waiting;
    /** Plain resources that failed before the manifest was known. */
    private _early;
    private _rows;
    private _progress;
    private _store;
    private _page;
    private _pageOrigin;
    /** Starts the loader; never throws into the page. */
    start(o: TagOptions | InitOptions): void;
    /** Applies a loaded manifest; returns false when it is refused. */
    private _apply;
    private _useFallback;
    private _flush;
    private _ensureMonitor;
    private _watchDom;
    private _take;
    get mode(): Mode;
    setMode(mode: Mode): void;
    private get _debug();
    private _log;
    edges(): EdgeStatus[];
    /** Resolves once every edge has been pinged; with the edges' state. */
    probe(): Promise<EdgeStatus[]>;
    private _sources;
    private _locate;
    /** The URL of `written` on `source`; a URL that is not registered stays as written. */
    private _map;
    /** Candidates for a registered path, or undefined when it is not registered. */
    private _plan;
    /** The URL the loader would use for `path` now. */
    resolve(path: string): string;
    /** Loads a script or stylesheet (by its `.css` ending) through the loader; resolves with the element. */
    load(path: string): Promise<Element>;
    report(): Row[];
    /** Binds one element; resolves when it settled. */
    private _bind;
    /**
     * Runs one resource's chain. `failed`: a plain element that already failed on that source, which
     * is then left out of the candidates.
     */
    private _run;
    private _lost;
    private _moved;
    /** A response arrived (Resource Timing saw a 2xx), so the load failed its integrity check. */
    private _answered;
    private _settled;
    /**
     * Ms until a resource on `s` started at `since` is late. The clock restarts whenever anything
     * finishes on that source, so resources queued behind others (six connections per host over
     * HTTP/1.1) are not mistaken for a hanging edge.
     */
    private _remaining;
    /** A plain `src`/`href` of a registered asset failed: retry it on the next source. */
    private _plainError;
}
export {};
