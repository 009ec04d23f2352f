import type { FallbackReason } from '../types.js';
import { type Source } from '../manifest/manifest.js';
import { type Outcome } from './race.js';
import type { Attempt } from './deadline.js';
/** How one kind of element loads from a source; the chain decides which source and when. */
export interface Kind {
    el: Element;
    /** `live`: load into the element itself; otherwise into a detached copy or a preload (a hedge). */
    _start(source: Source, live: boolean, done: (outcome: Outcome) => void): () => void;
    /** Makes the element use the winner; resolves false if that fails after all. */
    _commit(source: Source): Promise<boolean>;
    /** Called once at the end with the winner, or undefined when every source failed. */
    _end(winner: Source | undefined, origin: Source): void;
    /** The URL the element uses from `source`, for events and the report. */
    url(source: Source): string;
    /** False where no timer may run (a lazy image, media): those fail over on errors only. */
    _timed: boolean;
    /** Set when the element left the page before it could be used: no events then. */
    _gone?: boolean;
    /**
     * The first candidate, when its attempt ended 'ok' before the chain (the boot's request, or a plain element's
     * own) and the element shows it: the chain ends with it at once, as a race won at its first attempt would.
     */
    _won?: Source;
}
/** What a chain needs from the loader around it. */
export interface ChainContext {
    _origin: Source;
    /** False once the element was given a new URL (a newer chain owns it): this one then ends silently. */
    _current(): boolean;
    /**
     * Starts watching an attempt on `source` for the failure detector; `check` re-checks its deadline;
     * `live`: it loads into the element itself.
     */
    _begin(source: Source, check: (now?: boolean) => void, live: boolean): Attempt;
    /** Ms until the attempt is late; null: never. */
    _remaining(source: Source, attempt: Attempt): number | null;
    /** An attempt ended (`undefined`: cancelled) or is late ('timeout'). */
    _settled(source: Source, outcome: Outcome | 'timeout' | undefined, attempt?: Attempt): void;
    /** Sources whose failure of this resource was theirs (see `blamed`). */
    _blame(sources: Source[]): void;
    _moved(kind: Kind, from: Source, to: Source, reason: FallbackReason): void;
}
/** setTimeout that returns its own cancel function. */
export declare const timer: (fn: () => void, ms: number) => (() => void);
/**
 * Which of the sources a resource failed on (error or integrity) are to blame: only those where a
 * later source then served it. A 404 that every source repeats is the asset's fault, not the edges'.
 */
export declare const blamed: (failed: Source[], winner: Source | undefined) => Source[];
/**
 * requestIdleCallback where there is one (not Safari: there a timer gives queued events a turn),
 * within 1 s: a page that is never idle (an animation, a throttled background tab) still decides.
 */
export declare const idle: (fn: () => void) => number;
/**
 * Loads one resource through its candidates, each at most once. Resolves with the winning source,
 * or undefined when even the origin failed. `failed`: the source it already failed on.
 */
export declare function runChain(kind: Kind, candidates: Source[], ctx: ChainContext, failed?: Source): Promise<Source | undefined>;
/**
 * Waits for the first `ok` or `bad` event on `el`; returns the function that stops waiting. For
 * media, errors of a `<source>` followed by another only mean "the next one is tried".
 */
export declare function listen(el: EventTarget, done: (ok: boolean) => void, ok?: string, bad?: string, capture?: boolean): () => void;
