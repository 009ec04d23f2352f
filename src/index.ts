/**
 * cdn-loader: spreads a site's static assets over its own CDN edges, fails over from dead or hanging
 * edges, and always falls back to the origin. This module wires the loader and re-exports its API.
 */
import type { EdgeStatus, InitOptions, Mode, ReportRow } from './types.js';
import type { CDNLoaderApi } from './types.js';
import { startLoader } from './runtime/loader.js';

/** The public types: manifest, options, API, events. */
export type * from './types.js';
export { on } from './api/events.js';

let loader: CDNLoaderApi | undefined;

/** Starts the loader with a manifest (the ES module's stand-in for the script tag). Call it once. */
export function init(options: InitOptions): void {
  try {
    // Server-side rendering or a Node script: say so in one line, not with a stack trace from inside.
    if (typeof document == 'undefined') console.error('cdn-loader: init() runs in a browser page, not here');
    else if (loader) console.warn('cdn-loader: started twice; the second start does nothing');
    else loader = startLoader(options);
  } catch (e) {
    console.error('cdn-loader: could not start; resources load as written', e);
  }
}

/** The mode in force: the page's override, else the manifest's. */
export const getMode = (): Mode => loader?.mode ?? 'always';

/** Changes the mode for resources chosen from now on. */
export const setMode = (mode: Mode): void => loader?.setMode(mode);

/** Each edge with its state and smoothed latency. */
export const edges = (): EdgeStatus[] => loader?.edges() ?? [];

/** The URL the loader would use for `path` now, for code that builds its own requests. */
export const resolve = (path: string): string => loader?.resolve(path) ?? path;

/** Loads a script (or a `.css` stylesheet) through the loader; resolves with its element, rejects when no source could serve it. */
export const load = (path: string): Promise<Element> => loader?.load(path) ?? Promise.reject(new Error('cdn-loader: load() before init()'));

/** Pings every edge now (before the manifest arrives: once it is applied); resolves with the edges' state. */
export const probe = (): Promise<EdgeStatus[]> => loader?.probe() ?? Promise.resolve([]);

/** Prints a table of resources and the sources that served them, and returns its rows. */
export const report = (): ReportRow[] => loader?.report() ?? [];
