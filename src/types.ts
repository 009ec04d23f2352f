/** Public types of cdn-loader: the manifest, the API and the events. */

/** How registered resources choose their source. */
export type Mode = 'always' | 'round-robin' | 'off';

/** An edge host as written in the manifest. */
export interface EdgeInput {
  /** Name used in events and reports; defaults to the URL's host. */
  id?: string;
  /** Absolute http(s) URL; an asset's edge URL is this plus the asset's path. */
  url: string;
  /** Share in round-robin and sticky mode; default 1. */
  weight?: number;
}

/** A registered asset with its own options. */
export interface AssetInput {
  /** Exact path, prefix ending in `/`, or glob with `*` / `**`. */
  path: string;
  /** Overrides the global mode for this asset. */
  mode?: Mode;
  /** Subresource Integrity hash, checked whichever source serves it (exact paths only). */
  integrity?: string;
}

/** The JSON manifest (see SPEC.md section 2 and the README). */
export interface Manifest {
  $schema?: string;
  mode?: Mode;
  origin?: string | { url: string; weight?: number };
  edges?: (string | EdgeInput)[];
  assets?: (string | AssetInput)[];
  /** Round-robin maps each path to the same source every time (rendezvous hashing). */
  sticky?: boolean;
  probe?: {
    type?: 'image' | 'fetch';
    path?: string;
    timeout?: number;
    interval?: number;
    /** How long remembered edge health is trusted on later pages, in ms. */
    ttl?: number;
  };
  failover?: { timeout?: number | 'auto'; retries?: number };
  debug?: boolean;
  /**
   * Accepted (0–60000) but not used: the wait for a manifest is set by `data-manifest-timeout` on the
   * tag or `init({ manifestTimeout })`, since a manifest not yet known cannot set it.
   */
  manifestTimeout?: number;
  /**
   * Path of `cdn-loader-sw.js` on this site (e.g. `"/cdn-loader-sw.js"`): the loader registers it, and it
   * fails over every request of a registered path the page makes (see docs/service-worker.md). Off when absent.
   */
  serviceWorker?: string;
}

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

/** One row of `report()`. */
export interface ReportRow {
  element: Element;
  path: string;
  source: string;
  url: string;
  state: 'loading' | 'loaded' | 'failed';
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

declare global {
  interface Window {
    /** Set by the script-tag build (`dist/cdn-loader.js`). */
    CDNLoader?: CDNLoaderApi;
  }
}
