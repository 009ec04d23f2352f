import type { Source } from '../manifest/manifest.js';
import type { Outcome } from '../chain/race.js';
import { type Kind } from '../chain/chain.js';
import { type Part, type UrlMapper } from './parts.js';
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
export declare function secure(el: HTMLLinkElement | HTMLScriptElement, o: KindOptions): void;
/** A `<link rel=preload>`: fetches into the memory cache without applying or executing anything. */
export declare function preload(url: string, as: string, o: KindOptions, done: (o: Outcome) => void): () => void;
/**
 * An `<img>` (with the `<source>`s of its `<picture>`), a stylesheet `<link>`, a `<video>`/`<audio>`
 * with its sources, or (`poster`) a video's poster. The element itself loads the first candidate;
 * a hedge loads in a detached copy (images: it selects from srcset and `<picture>` exactly as the
 * element would, so the element then finds the winner in the memory cache), a style preload, or an
 * `Image` (posters, which have no load event of their own). Media fail over on errors only.
 */
export declare function elementKind(el: Element, list: Part[], o: KindOptions, poster?: boolean): Kind;
