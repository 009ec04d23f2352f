import { type Source } from './manifest.js';
import type { Attempt, Outcome } from './race.js';
import { type Kind } from './chain.js';
import { type Part, type UrlMapper } from './parts.js';
/** What an element kind needs to know to build its loader. */
export interface KindOptions {
    map: UrlMapper;
    integrity?: string;
    /** The crossorigin attribute the element fetches with; "anonymous" wherever integrity is set. */
    cors?: string | null;
    /** Outcome of a failed load whose response arrived (the integrity check failed), else 'error'. */
    why: (url: string) => Outcome;
}
/** A detached `<link rel=preload>`: fetches into the memory cache without applying or executing anything. */
export declare function preload(url: string, as: string, opts: KindOptions, module: boolean | undefined, done: (o: Outcome) => void): Attempt;
/** An `<img>`, with the `<source>`s of its `<picture>`: the element loads first; hedges load in a detached copy. */
export declare function imageKind(img: HTMLImageElement, parts: Part[], opts: KindOptions): Kind;
/** A stylesheet `<link>`: the element loads first; hedges are style preloads. */
export declare function styleKind(link: HTMLLinkElement, parts: Part[], opts: KindOptions): Kind;
/** A poster: loaded as a detached image, then set on the video (it has no load event of its own). */
export declare function posterKind(video: HTMLVideoElement, p: Part, opts: KindOptions): Kind;
/**
 * A `<video>` or `<audio>` with `data-cdn-src` on itself or on its `<source>`s. Media fail over on
 * errors only: a stream is not raced, and one that waits for a click is not late.
 */
export declare function mediaKind(media: HTMLMediaElement, parts: Part[], opts: KindOptions): Kind;
/** The URL-bearing parts of an image and its picture, or of a media element and its sources. */
export declare function imageParts(img: HTMLImageElement, plain?: boolean): Part[];
export declare function mediaParts(media: HTMLMediaElement): Part[];
export declare const isEdge: (s: Source) => boolean;
