/** Public types of cdn-loader: the manifest, the API and the events. */

import type { Manifest, Mode } from './manifestTypes.js';

/** The manifest's types, which need no DOM: Node code can import them alone from `cdn-loader/manifest`. */
export type * from './manifestTypes.js';

/** Options of `init()` in the ES module build. */
export interface InitOptions {
  /** A URL, inline JSON, `#id` of a JSON script element, or a manifest object. */
  manifest: string | Manifest;
  mode?: Mode;
  debug?: boolean;
  /** Ms that resources wait for the manifest before loading from the origin (default 1500). */
  manifestTimeout?: number;
  /** The page's CSP nonce, given to the preloads and scripts the loader inserts. */
  nonce?: string;
}

/** Health of one edge, as `edges()` returns it. */
export interface EdgeStatus {
  id: string;
  url: string;
  weight: number;
  state: 'up' | 'down';
  /** Smoothed probe latency in ms, or null before the first successful ping. */
  latency: number | null;
}

/** Why a resource moved on to its next source. */
export type FallbackReason = 'error' | 'timeout' | 'integrity';

/** `cdn:ready`: the manifest was applied (or refused: mode "off", no edges). */
export interface ReadyDetail { mode: Mode; edges: EdgeStatus[] }
/** `cdn:load`: a resource loaded; `source` is an edge id or "origin". */
export interface LoadDetail { element: Element; url: string; source: string }
/** `cdn:fallback`: a resource moved from one source to the next; `url` is the new URL. */
export interface FallbackDetail { element: Element; from: string; to: string; url: string; reason: FallbackReason }
/** `cdn:error`: no source could serve a resource; `url` is its origin URL. */
export interface ErrorDetail { element: Element; url: string }
/** `cdn:edge`: an edge went up or down. */
export interface EdgeDetail { id: string; state: 'up' | 'down'; latency: number | null }
/** `cdn:probe`: one ping of one edge. */
export interface ProbeDetail { id: string; ok: boolean; ms: number }

/** Every event, by name, with its `detail`. */
export interface EventMap {
  'cdn:ready': ReadyDetail;
  'cdn:load': LoadDetail;
  'cdn:fallback': FallbackDetail;
  'cdn:error': ErrorDetail;
  'cdn:edge': EdgeDetail;
  'cdn:probe': ProbeDetail;
}

/** The names of all events. */
export type EventName = keyof EventMap;

/** An event name with or without its `cdn:` prefix. */
export type EventKey = EventName | (EventName extends `cdn:${infer S}` ? S : never);
/** The full event name of an `EventKey`. */
export type FullName<N extends EventKey> = N extends EventName ? N : `cdn:${N}` & EventName;

/** One row of `report()`: a resource by its path (rows hold no element, so a long-lived page keeps none it removed alive). */
export interface ReportRow {
  path: string;
  source: string;
  url: string;
  /** `unregistered`: its path is in no `assets` entry (images and media load as written, scripts and stylesheets not at all); `refused`: a script placeholder the loader would not run (see docs/security.md). */
  state: 'loading' | 'loaded' | 'failed' | 'unregistered' | 'refused';
  tried: string[];
}

/** The API of the script-tag build, `window.CDNLoader`. */
export interface CDNLoaderApi {
  /** The mode in force. */
  readonly mode: Mode;
  /** Changes the mode for resources chosen from now on. */
  setMode(mode: Mode): void;
  /** Each edge with its state and smoothed latency. */
  edges(): EdgeStatus[];
  /** Pings every edge now (before the manifest arrives: once it is applied); resolves with the edges' state. */
  probe(): Promise<EdgeStatus[]>;
  /** The URL the loader would use for `path` now. */
  resolve(path: string): string;
  /** Loads a script (or a `.css` stylesheet) through the loader, once the manifest is in force. */
  load(path: string): Promise<Element>;
  /** Prints a table of resources and their sources, and returns its rows. */
  report(): ReportRow[];
  /** Listens to an event (`"load"` or `"cdn:load"`); returns the function that stops listening. */
  on<N extends EventKey>(name: N, fn: (detail: EventMap[FullName<N>], event: CustomEvent<EventMap[FullName<N>]>) => void): () => void;
}

/** Every event as `addEventListener` sees it: a `CustomEvent` with its `detail`. */
export type CDNEvents = { [K in EventName]: CustomEvent<EventMap[K]> };

declare global {
  interface Window {
    /** Set by the script-tag build (`dist/cdn-loader.js`). */
    CDNLoader?: CDNLoaderApi;
  }
  /**
   * `document.addEventListener('cdn:fallback', (e) => e.detail.from)` is typed. The events are dispatched
   * on `document` and do not bubble, so they are not in WindowEventMap: a window listener hears none.
   */
  interface DocumentEventMap extends CDNEvents {}
}
