import type { Manifest } from '../types.js';
import type { Store } from './store.js';
import { MODES } from './manifest.js';

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
export function readTag(tag: Element | null, pageUrl: string): TagOptions {
  const attr = (n: string) => tag?.getAttribute('data-' + n) ?? undefined;
  const wait = attr('manifest-timeout');
  return withQuery(
    {
      manifest: attr('manifest'),
      mode: attr('mode'),
      debug: attr('debug') === undefined ? undefined : attr('debug') !== 'false',
      manifestTimeout: wait && +wait >= 0 ? +wait : undefined,
      nonce: (tag as HTMLScriptElement | null)?.nonce,
    },
    pageUrl,
  );
}

/** `?cdn=always|round-robin|off` and `?cdn-debug=1` on the page URL win over everything else. */
export function withQuery<T extends TagOptions>(o: T, pageUrl: string): T {
  const q = new URL(pageUrl).searchParams;
  const debug = q.get('cdn-debug');
  const mode = q.get('cdn');
  // An unknown ?cdn= value (a typo, `?cdn=`) leaves the tag's mode in force.
  return { ...o, mode: mode && MODES.includes(mode) ? mode : o.mode, debug: debug === null ? o.debug : !/^(0|false)$/.test(debug) };
}

/** A manifest as read: its parsed JSON, or the message that says why it could not be read. */
export type Loaded = { ok: true; value: unknown } | { ok: false; error: string };

const parse = (text: string, where: string): Loaded => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `cdn-loader: ${where} is not valid JSON (${(e as Error).message})` };
  }
};

const failed = (error: string): Promise<Loaded> => Promise.resolve({ ok: false, error: 'cdn-loader: ' + error });

/**
 * Gets the manifest: inline JSON, a `#id` JSON script, or a URL. A manifest fetched by URL is cached:
 * a later page starts from the cached copy at once (`cached`) while `fresh` refreshes it.
 */
export function loadManifest(spec: string | Manifest, pageUrl: string, store: Store, doc?: Document): { cached?: Loaded; fresh: Promise<Loaded> } {
  if (typeof spec !== 'string') return { fresh: Promise.resolve({ ok: true, value: spec }) };
  const text = spec.trim();
  if (text[0] === '{') return { fresh: Promise.resolve(parse(text, 'data-manifest (inline JSON)')) };
  if (text[0] === '#') {
    const read = (): Promise<Loaded> => {
      const el = doc?.getElementById(text.slice(1));
      return el ? Promise.resolve(parse(el.textContent!, `the manifest element ${text}`)) : failed(`data-manifest: no element with id "${text.slice(1)}"`);
    };
    // The element may come later in the page than the loader's tag: then wait for the parser.
    const later = doc?.readyState === 'loading' && !doc.getElementById(text.slice(1));
    return { fresh: later ? new Promise((r) => doc.addEventListener('DOMContentLoaded', () => r(read()))) : read() };
  }
  let url = '';
  try {
    if (!/^[a-z][\w+.-]*:/i.test(text) || /^https?:/i.test(text)) url = new URL(text, pageUrl).href;
  } catch {
    // Not a URL: the message below.
  }
  if (!url) return { fresh: failed(`data-manifest: ${JSON.stringify(text)} is not an http(s) URL`) };
  const key = 'cdn-loader:manifest:' + url;
  const saved = store.get(key);
  // A page's <link rel=preload as=fetch crossorigin> of the manifest is handed to the default cache
  // mode only: for 'no-cache' Firefox ESR 153 and WebKitGTK 2.50 fetch it again. That preload is this
  // page load's own request, so taking it is as fresh as revalidating.
  const preloaded = Array.from(doc?.querySelectorAll<HTMLLinkElement>('link[rel=preload]') ?? []).some((l) => l.href === url);
  const fresh = fetch(url, { credentials: 'same-origin', cache: preloaded ? 'default' : 'no-cache' })
    .then(async (res) => {
      if (!res.ok) return failed(`manifest ${url}: HTTP ${res.status}`);
      const body = await res.text();
      const r = parse(body, `manifest ${url}`);
      if (r.ok) store.set(key, body);
      return r;
    })
    // A refused connection, or a body cut off half-way.
    .catch((e: Error) => failed(`manifest ${url} could not be fetched (${e.message})`));
  const cached = typeof saved === 'string' ? parse(saved, 'cached manifest') : undefined;
  return { cached: cached?.ok ? cached : undefined, fresh };
}
