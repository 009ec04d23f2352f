import type { Manifest } from '../types.js';
import type { Store } from '../lib/store.js';
import { MODES, ManifestError, parseManifest, type Config } from './manifest.js';
import { MAX_CACHED, readCache, writeCache } from './manifestCache.js';
import { timer } from '../chain/chain.js';
import { httpUrl } from '../lib/urls.js';
import { parsed } from '../page/parsed.js';

/** Where the manifest comes from and how the page overrides it. */
export interface TagOptions {
  manifest?: string | Manifest | null;
  mode?: string;
  debug?: boolean;
  manifestTimeout?: number;
  /** The CSP nonce of the loader's tag, for what it inserts. */
  nonce?: string;
}

/** Reads `data-manifest`, `data-mode`, `data-debug` and `data-manifest-timeout` from the loader's tag. */
export function readTag(tag: Element | null): TagOptions {
  const attr = (n: string) => tag?.getAttribute('data-' + n) ?? undefined;
  const wait = attr('manifest-timeout');
  // (The loader applies `?cdn=` and `?cdn-debug=` itself: withQuery.)
  return {
    manifest: attr('manifest'),
    mode: attr('mode'),
    debug: attr('debug') === undefined ? undefined : attr('debug') !== 'false',
    manifestTimeout: wait && +wait >= 0 ? +wait : undefined,
    nonce: (tag as HTMLScriptElement | null)?.nonce,
  };
}

/** `?cdn=always|round-robin|off` and `?cdn-debug=1` on the page URL win over everything else. */
export function withQuery<T extends TagOptions>(o: T, pageUrl: string): T {
  const q = new URL(pageUrl).searchParams;
  const debug = q.get('cdn-debug');
  const mode = q.get('cdn');
  // An unknown ?cdn= value (a typo, `?cdn=`) leaves the tag's mode in force.
  return { ...o, mode: mode && MODES.includes(mode) ? mode : o.mode, debug: debug === null ? o.debug : !/^(0|false)$/.test(debug) };
}

/** A manifest as read: validated, or (a string) the message that says why it cannot be used. */
export type Loaded = Config | string;

/** Parses (JSON text) and validates a manifest for this page; the message names what is wrong. */
const parse = (m: unknown, where: string, pageUrl: string): Loaded => {
  try {
    return parseManifest(typeof m === 'string' ? JSON.parse(m) : m, pageUrl);
  } catch (e) {
    const msg = (e as Error).message;
    return e instanceof ManifestError ? msg : `cdn-loader: ${where} is not valid JSON (${msg})`;
  }
};

/**
 * Gets the manifest: inline JSON, a `#id` JSON script, or a URL. A manifest fetched by URL is cached:
 * a later page starts from the cached copy at once (`cached`) while `fresh` refreshes it. The site
 * takes it back by answering 404 or 410 (the copy is dropped); while the URL answers anything else
 * that is not a valid manifest, the copy is used for `maxStale` ms more, then no longer.
 */
export function loadManifest(spec: string | Manifest, pageUrl: string, store: Store, doc?: Document): { cached?: Config; fresh: Promise<Loaded> } {
  const now = Date.now();
  if (typeof spec !== 'string') return { fresh: Promise.resolve(parse(spec, '', pageUrl)) };
  const text = spec.trim();
  if (text[0] === '{') return { fresh: Promise.resolve(parse(text, 'data-manifest (inline JSON)', pageUrl)) };
  if (text[0] === '#') {
    const id = text.slice(1);
    const read = (): Loaded => {
      const el = doc?.getElementById(id);
      return el ? parse(el.textContent!, `the manifest element ${text}`, pageUrl) : `cdn-loader: data-manifest: no element with id "${id}"`;
    };
    // The element may come later in the page than the loader's tag: then wait for the parser.
    const later = doc?.readyState === 'loading' && !doc.getElementById(id);
    return { fresh: later ? new Promise((r) => parsed(() => r(read()), doc)) : Promise.resolve(read()) };
  }
  const url = httpUrl(text, pageUrl);
  if (!url) return { fresh: Promise.resolve(`cdn-loader: data-manifest: ${JSON.stringify(text)} is not an http(s) URL`) };
  const e = readCache(store, url);
  /** Not a usable manifest: the copy stays, for `maxStale` ms from the first such answer. */
  const unreadable = (error: string): Loaded => {
    if (e && !e[2]) writeCache(store, [url, e[1], now]);
    return error;
  };
  // A page's <link rel=preload as=fetch crossorigin> of the manifest is handed to the default cache
  // mode only: for 'no-cache' Firefox ESR 153 and WebKitGTK 2.50 fetch it again. That preload is this
  // page load's own request, so taking it is as fresh as revalidating.
  const preloaded = [...(doc?.querySelectorAll<HTMLLinkElement>('link[rel=preload]') ?? [])].some((l) => l.href === url);
  const fresh = fetch(url, { credentials: 'same-origin', cache: preloaded ? 'default' : 'no-cache' })
    .then(async (res): Promise<Loaded> => {
      const error = `cdn-loader: manifest ${url}: HTTP ${res.status}`;
      // Withdrawn: the copy goes, and from the next page on everything loads from the origin.
      if (res.status === 404 || res.status === 410) return writeCache(store), error;
      if (!res.ok) return unreadable(error);
      const body = await res.text();
      const r = parse(body, `manifest ${url}`, pageUrl);
      if (typeof r == 'string') return unreadable(r);
      writeCache(store, body.length < MAX_CACHED && [url, body, 0]);
      return r;
    })
    // A refused connection, or a body cut off half-way.
    .catch((err: Error) => unreadable(`cdn-loader: manifest ${url} could not be fetched (${err.message})`));
  const cached = e && parse(e[1], '', pageUrl);
  // A copy whose URL has answered nothing usable for longer than it allows is no longer used.
  return { cached: cached && typeof cached != 'string' && !(e[2] && now - e[2] >= cached.maxStale) ? cached : undefined, fresh };
}

/**
 * Applies the manifest through `use`: the cached copy at once, else the fresh one when it comes, or
 * the origin-only fallback after `manifestTimeout` ms. Returns the fresh manifest being revalidated.
 */
export function startManifest(o: TagOptions, pageUrl: string, store: Store, use: (r: Loaded) => void): Promise<Loaded> | undefined {
  const m = o.manifest ? loadManifest(o.manifest, pageUrl, store, document) : undefined;
  const wait = o.manifestTimeout ?? 1500;
  if (!m) use('cdn-loader: the script tag has no data-manifest');
  else if (m.cached) use(m.cached);
  else {
    const stop = timer(() => use(`cdn-loader: the manifest did not arrive within ${wait} ms`), wait);
    void m.fresh.then((r) => {
      stop();
      use(r);
    });
  }
  return m?.fresh;
}
