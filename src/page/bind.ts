import type { Source } from '../manifest/manifest.js';
import type { Outcome } from '../chain/race.js';
import { listen, type Kind } from '../chain/chain.js';
import { apply, picture, primary, tree, type Part, type UrlMapper } from './parts.js';

/** What an element kind needs to know to load. */
export interface KindOptions {
  _map: UrlMapper;
  _integrity?: string;
  /** The crossorigin mode to fetch with; "anonymous" wherever integrity is set. */
  _cors?: string | null;
  /** The page's CSP nonce, for the preloads and scripts the loader inserts. */
  _nonce?: string;
  /** The outcome of a failed load: 'integrity' when a response arrived but failed its check. */
  _why: (url: string) => Outcome;
  /** The source a plain element already shows (and failed on). */
  _shown?: Source;
}

/** Sets integrity and crossorigin on an element that fetches. */
export function secure(el: HTMLLinkElement | HTMLScriptElement, o: KindOptions): void {
  if (o._integrity) el.integrity = o._integrity;
  if (o._cors != null) el.crossOrigin = o._cors;
}

/** A `<link rel=preload>`: fetches into the memory cache without applying or executing anything. */
export function preload(url: string, as: string, o: KindOptions, done: (o: Outcome) => void): () => void {
  const link = document.createElement('link');
  link.rel = as === 'module' ? 'modulepreload' : 'preload';
  link.as = as === 'module' ? 'script' : as;
  secure(link, o);
  // A script preload is checked against script-src like the script itself.
  if (o._nonce) link.nonce = o._nonce;
  link.href = url;
  const stop = listen(link, (ok) => {
    link.remove();
    done(ok ? 'ok' : o._why(url));
  });
  document.head.appendChild(link);
  return () => {
    stop();
    link.remove();
  };
}

/**
 * An `<img>` (with the `<source>`s of its `<picture>`), a stylesheet `<link>`, a `<video>`/`<audio>`
 * with its sources, or (`poster`) a video's poster. The element itself loads the first candidate;
 * a hedge loads in a detached copy (images: it selects from srcset and `<picture>` exactly as the
 * element would, so the element then finds the winner in the memory cache), a style preload, or an
 * `Image` (posters, which have no load event of their own). Media fail over on errors only.
 */
export function elementKind(el: Element, list: Part[], o: KindOptions, poster?: boolean): Kind {
  let shown = o._shown;
  const img = el instanceof HTMLImageElement;
  const media = el instanceof HTMLMediaElement && !poster;
  const url = (s: Source) => o._map(primary(list)!, s);
  const show = (s: Source, done: (ok: boolean) => void) => {
    apply(list, s, o._map);
    shown = s;
    if (poster) return done(true), () => {};
    const stop = media ? listen(el, done, 'loadedmetadata', 'error', true) : listen(el, done);
    if (media) (el as HTMLMediaElement).load();
    return stop;
  };
  if (el instanceof HTMLLinkElement) secure(el, o);
  return {
    el,
    url,
    _timed: !media && (el as HTMLImageElement).loading !== 'lazy',
    _start(s, live, done) {
      const result = (ok: boolean) => done(ok ? 'ok' : o._why(url(s)));
      if (live && !poster) return show(s, result);
      if (el instanceof HTMLLinkElement) return preload(url(s), 'style', o, done);
      // An image's copy is built empty, then given this source's URLs: a clone would carry the element's
      // current URLs, and WebKit fetches a cloned <img src> at once (measured: one more request, to the
      // edge the element waits on, per hedge of a <picture>). A poster loads in an Image.
      const swap = new Map<Element, HTMLImageElement>();
      for (const e of img ? (tree(picture(el) || el) as Element[]) : []) {
        const c = document.createElement(e.localName) as HTMLImageElement;
        for (const a of e.attributes) if (!/src|loading/.test(a.name)) c.setAttribute(a.name, a.value);
        swap.get(e.parentElement!)?.append(c);
        swap.set(e, c);
      }
      const copy = swap.get(el) || new Image();
      if (img) apply(list, s, o._map, swap);
      else copy.src = url(s);
      const stop = listen(copy, result);
      // A copy's <source>s keep choosing for its <img>: only emptying them all ends its request. The
      // <img> first: emptied after a <source>, it would make WebKit fetch its src as it ends (measured).
      return () => {
        stop();
        for (const c of [copy, ...swap.values()]) {
          c.removeAttribute('srcset');
          c.removeAttribute('src');
        }
      };
    },
    _commit: (s) =>
      // Already showing the winner: an image with pixels, a stylesheet with a sheet, media that loaded.
      shown === s && (img ? (el as HTMLImageElement).naturalWidth : el instanceof HTMLLinkElement ? el.sheet : 1)
        ? Promise.resolve(true)
        : new Promise((resolve) => show(s, resolve)),
    _end(winner, origin) {
      if (!winner && shown !== origin) apply(list, origin, o._map);
    },
  };
}
