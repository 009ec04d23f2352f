/**
 * cdn-loader: spreads a site's static assets over its own CDN edges, fails over from dead or hanging
 * edges, and always falls back to the origin. This module wires the loader and re-exports its API.
 */
import type { EdgeStatus, InitOptions, Mode, ReportRow } from './types.js';
/** The public types: manifest, options, API, events. */
export type * from './types.js';
export { on } from './api/events.js';
/** Starts the loader with a manifest (the ES module's stand-in for the script tag). Call it once. */
export declare function init(options: InitOptions): void;
/** The mode in force: the page's override, else the manifest's. */
export declare const getMode: () => Mode;
/** Changes the mode for resources chosen from now on. */
export declare const setMode: (mode: Mode) => void;
/** Each edge with its state and smoothed latency. */
export declare const edges: () => EdgeStatus[];
/** The URL the loader would use for `path` now, for code that builds its own requests. */
export declare const resolve: (path: string) => string;
/** Loads a script (or a `.css` stylesheet) through the loader; resolves with its element, rejects when no source could serve it. */
export declare const load: (path: string) => Promise<Element>;
/** Pings every edge now (before the manifest arrives: once it is applied); resolves with the edges' state. */
export declare const probe: () => Promise<EdgeStatus[]>;
/** Prints a table of resources and the sources that served them, and returns its rows. */
export declare const report: () => ReportRow[];
