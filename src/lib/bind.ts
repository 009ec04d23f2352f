import { ORIGIN, type Source } from './manifest.js';
import type { Attempt, Outcome } from './race.js';
import { listen, type Kind } from './chain.js';
import { apply, part, type Part, type UrlMapper } from './parts.js';

/** What an element kind needs to know to build its loader. */
export interface KindOptions {
  map: UrlMapper;
  integrity?: string;
  /** The crossorigin attribute the element fetches with; "anonymous" wherever integrity is set. */
  cors?: string | null;
  /** Outcome of a failed load whose response arrived (the integrity check failed), else 'error'. */
  why: (url: string) => Outcome;
}

const noop: Attempt = { cancel() {} };

/** A detached `<link rel=preload>`: fetches into the memory cache without applying or executing anything. */
export function preload(url: string, as: string, opts: KindOptions, module = false, done: (o: Outcome) => void): Attempt {
  const link = document.createElement('link');
  link.rel = module ? 'modulepreload' : 'preload';
  if (!module) link.as = as;
  if (opts.integrity) link.integrity = opts.integrity;
  if (opts.cors != null) link.crossOrigin = opts.cors;
  link.href = url;
  const stop = listen(link, (ok) => {
    link.remove();
    done(ok ? 'ok' : opts.why(url));
  });
  document.head.appendChild(link);
  return {
    cancel() {
      stop();
      link.remove();
    },
  };
}

/** An `<img>`, with the `<source>`s of its `<picture>`: the element loads first; hedges load in a detached copy. */
export function imageKind(img: HTMLImageElement, parts: Part[], opts: KindOptions): Kind {
  let shown: Source | undefined;
  const pic = img.parentElement instanceof HTMLPictureElement ? img.parentElement : undefined;
  const wait = (source: Source) =>
    new Promise<boolean>((resolve) => {
      apply(parts, source, opts.map);
      shown = source;
      listen(img, resolve);
    });
  return {
    element: img,
    timed: img.loading !== 'lazy',
    url: (s) => opts.map(parts[parts.length - 1].value, s),
    start(source, live, done) {
      if (live) {
        apply(parts, source, opts.map);
        shown = source;
        const stop = listen(img, (ok) => done(ok ? 'ok' : 'error'));
        return { cancel: stop };
      }
      // A detached copy selects from srcset and <picture> exactly as the element would, so the
      // element then finds the winner in the memory cache.
      const swap = new Map<Element, Element>();
      const copyImg = img.cloneNode(false) as HTMLImageElement;
      copyImg.removeAttribute('loading');
      if (pic) {
        const copyPic = pic.cloneNode(false) as HTMLPictureElement;
        for (const child of Array.from(pic.children)) {
          if (child === img) copyPic.appendChild(copyImg);
          else if (child instanceof HTMLSourceElement) swap.set(child, copyPic.appendChild(child.cloneNode(false) as Element));
        }
      }
      swap.set(img, copyImg);
      const stop = listen(copyImg, (ok) => done(ok ? 'ok' : 'error'));
      apply(parts, source, opts.map, swap);
      return {
        cancel() {
          stop();
          copyImg.removeAttribute('srcset');
          copyImg.removeAttribute('src');
        },
      };
    },
    commit: (source) => (shown === source && img.complete && img.naturalWidth > 0 ? Promise.resolve(true) : wait(source)),
    giveUp(origin) {
      if (shown !== origin) apply(parts, origin, opts.map);
    },
  };
}

/** A stylesheet `<link>`: the element loads first; hedges are style preloads. */
export function styleKind(link: HTMLLinkElement, parts: Part[], opts: KindOptions): Kind {
  let shown: Source | undefined;
  if (opts.integrity) link.integrity = opts.integrity;
  if (opts.cors != null) link.crossOrigin = opts.cors;
  const show = (source: Source, done: (ok: boolean) => void) => {
    apply(parts, source, opts.map);
    shown = source;
    return listen(link, done);
  };
  const url = (s: Source) => opts.map(parts[0].value, s);
  return {
    element: link,
    timed: true,
    url,
    start(source, live, done) {
      if (live) return { cancel: show(source, (ok) => done(ok ? 'ok' : opts.why(url(source)))) };
      return preload(url(source), 'style', opts, false, done);
    },
    commit: (source) => (shown === source && link.sheet ? Promise.resolve(true) : new Promise((resolve) => show(source, resolve))),
    giveUp(origin) {
      if (shown !== origin) apply(parts, origin, opts.map);
    },
  };
}

/** A poster: loaded as a detached image, then set on the video (it has no load event of its own). */
export function posterKind(video: HTMLVideoElement, p: Part, opts: KindOptions): Kind {
  const url = (s: Source) => opts.map(p.value, s);
  return {
    element: video,
    timed: true,
    url,
    start(source, _live, done) {
      const img = new Image();
      const stop = listen(img, (ok) => done(ok ? 'ok' : 'error'));
      img.src = url(source);
      return {
        cancel() {
          stop();
          img.removeAttribute('src');
        },
      };
    },
    commit(source) {
      apply([p], source, opts.map);
      return Promise.resolve(true);
    },
    giveUp(origin) {
      apply([p], origin, opts.map);
    },
  };
}

/**
 * A `<video>` or `<audio>` with `data-cdn-src` on itself or on its `<source>`s. Media fail over on
 * errors only: a stream is not raced, and one that waits for a click is not late.
 */
export function mediaKind(media: HTMLMediaElement, parts: Part[], opts: KindOptions): Kind {
  let shown: Source | undefined;
  return {
    element: media,
    timed: false,
    url: (s) => opts.map(parts[0].value, s),
    start(source, live, done) {
      if (!live) return noop;
      apply(parts, source, opts.map);
      shown = source;
      // Errors of <source> children reach the media element only in the capture phase.
      const stop = listen(media, (ok) => done(ok ? 'ok' : 'error'), 'loadedmetadata', 'error', true);
      media.load();
      return { cancel: stop };
    },
    commit: () => Promise.resolve(true),
    giveUp(origin) {
      if (shown !== origin) apply(parts, origin, opts.map);
    },
  };
}

/** The URL-bearing parts of an image and its picture, or of a media element and its sources. */
export function imageParts(img: HTMLImageElement, plain = false): Part[] {
  const out: Part[] = [];
  const pic = img.parentElement instanceof HTMLPictureElement ? img.parentElement : undefined;
  // Sources first: the image must not pick its fallback before they are set.
  if (pic) for (const s of Array.from(pic.querySelectorAll(':scope > source'))) add(out, part(s, 'srcset', plain));
  add(out, part(img, 'srcset', plain));
  add(out, part(img, 'src', plain));
  return out;
}

export function mediaParts(media: HTMLMediaElement): Part[] {
  const out: Part[] = [];
  add(out, part(media, 'src'));
  for (const s of Array.from(media.querySelectorAll(':scope > source'))) add(out, part(s, 'src'));
  return out;
}

function add(list: Part[], p: Part | undefined): void {
  if (p) list.push(p);
}

export const isEdge = (s: Source): boolean => s.id !== ORIGIN;
