import type { Manifest } from '../types.js';
import type { Store } from './store.js';

/** Where the manifest comes from and how the page overrides it, read from the script tag and the page URL. */
export interface TagOptions {
  manifest: string | Manifest | null;
  mode?: string;
  debug?: boolean;
  manifestTimeout?: number;
}

/** Reads `data-manifest`, `data-mode`, `data-debug`, `data-manifest-timeout`; `?cdn=` and `?cdn-debug=` win over both. */
export function readTag(tag: Element | null, pageUrl: string): TagOptions {
  const attr = (n: string) => tag?.getAttribute(n) ?? null;
  const debug = attr('data-debug');
  const wait = Number(attr('data-manifest-timeout'));
  const o: TagOptions = {
    manifest: attr('data-manifest'),
    mode: attr('data-mode') ?? undefined,
    debug: debug === null ? undefined : debug !== 'false',
    manifestTimeout: attr('data-manifest-timeout') !== null && wait >= 0 ? wait : undefined,
  };
  return withQuery(o, pageUrl);
}

/** Applies `?cdn=always|round-robin|off` and `?cdn-debug=1` from the page URL. */
export function withQuery(o: TagOptions, pageUrl: string): TagOptions {
  let q: URLSearchParams;
  try {
    q = new URL(pageUrl).searchParams;
  } catch {
    return o;
  }
  const mode = q.get('cdn');
  const debug = q.get('cdn-debug');
  return {
    ...o,
    mode: mode ?? o.mode,
    debug: debug === null ? o.debug : debug !== '0' && debug !== 'false',
  };
}

export type Loaded = { ok: true; value: unknown } | { ok: false; error: string };

const parse = (text: string, where: string): Loaded => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `cdn-loader: ${where} is not valid JSON (${(e as Error).message})` };
  }
};

const KEY = 'cdn-loader:manifest:';

/**
 * Gets the manifest: inline JSON, a `#id` JSON script, or a URL. A manifest fetched by URL is
 * cached; a later page starts from the cached copy at once (`cached`) and refreshes it for the page after.
 */
export function loadManifest(
  spec: string | Manifest,
  pageUrl: string,
  store: Store,
  doc: Document | undefined,
): { cached?: Loaded; fresh: Promise<Loaded> } {
  if (typeof spec !== 'string') return { fresh: Promise.resolve({ ok: true, value: spec }) };
  const text = spec.trim();
  if (text.startsWith('{')) return { fresh: Promise.resolve(parse(text, 'data-manifest (inline JSON)')) };
  if (text.startsWith('#')) {
    const read = (): Loaded => {
      const el = doc?.getElementById(text.slice(1));
      return el ? parse(el.textContent ?? '', `the manifest element ${text}`) : { ok: false, error: `cdn-loader: data-manifest: no element with id "${text.slice(1)}"` };
    };
    // The element may come later in the page than the loader's tag.
    const later = doc && doc.readyState === 'loading' && !doc.getElementById(text.slice(1));
    return { fresh: later ? new Promise((r) => doc.addEventListener('DOMContentLoaded', () => r(read()))) : Promise.resolve(read()) };
  }
  let url: URL;
  try {
    url = new URL(text, pageUrl);
  } catch {
    return { fresh: Promise.resolve({ ok: false, error: `cdn-loader: data-manifest: ${JSON.stringify(text)} is not a URL` }) };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { fresh: Promise.resolve({ ok: false, error: `cdn-loader: data-manifest: ${JSON.stringify(text)} is not an http(s) URL` }) };
  const key = KEY + url.href;
  const saved = store.get(key);
  const cached = typeof saved === 'string' ? parse(saved, `the cached manifest ${url.href}`) : undefined;
  const fresh = fetch(url.href, { credentials: 'same-origin', cache: 'no-cache' }).then(
    async (res): Promise<Loaded> => {
      if (!res.ok) return { ok: false, error: `cdn-loader: manifest ${url.href}: HTTP ${res.status}` };
      const body = await res.text();
      const r = parse(body, `manifest ${url.href}`);
      if (r.ok) store.set(key, body);
      return r;
    },
    (e: Error): Loaded => ({ ok: false, error: `cdn-loader: manifest ${url.href} could not be fetched (${e.message})` }),
  );
  return { cached: cached?.ok ? cached : undefined, fresh };
}
