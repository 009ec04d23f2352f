/**
 * cdn-loader: spreads a site's static assets over its own CDN edges, fails over from dead or hanging
 * edges, and always falls back to the origin. This module wires the loader and re-exports its API.
 */
import type { EdgeStatus, InitOptions, Mode } from './types.js';
import { Loader } from './lib/loader.js';

export type * from './types.js';
export { on } from './lib/events.js';

let loader: Loader | undefined;

/** Starts the loader with a manifest (the ES module build's replacement for the script tag). Call once. */
export function init(options: InitOptions): void {
  if (loader) {
    console.warn('cdn-loader: init() was called twice; the second call does nothing');
    return;
  }
  loader = new Loader();
  try {
    loader.start(options);
  } catch (e) {
    console.error('cdn-loader: could not start; resources load as written', e);
  }
}

/** The mode in force: the page's override, else the manifest's. */
export function getMode(): Mode {
  return loader?.mode ?? 'always';
}

/** Changes the mode for resources chosen from now on. */
export function setMode(mode: Mode): void {
  loader?.setMode(mode);
}

/** Each edge with its state and smoothed latency. */
export function edges(): EdgeStatus[] {
  return loader?.edges() ?? [];
}

/** The URL the loader would use for `path` now, for code that builds its own requests. */
export function resolve(path: string): string {
  return loader ? loader.resolve(path) : path;
}

/** Loads a script or stylesheet through the loader; resolves with its element, rejects when no source could serve it. */
export function load(path: string): Promise<Element> {
  return loader ? loader.load(path) : Promise.reject(new Error('cdn-loader: load() before init()'));
}

/** Pings every edge now; resolves with the edges' state. */
export function probe(): Promise<EdgeStatus[]> {
  return loader ? loader.probe() : Promise.resolve([]);
}

/** Prints a table of resources and the sources that served them (and returns its rows). */
export function report(): unknown[] {
  return loader ? loader.report() : [];
}
