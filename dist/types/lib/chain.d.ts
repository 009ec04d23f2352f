import type { FallbackReason } from '../types.js';
import { type Source } from './manifest.js';
import { type Attempt, type Outcome } from './race.js';
/** How one kind of element loads from a source; the chain decides which source and when. */
export interface Kind {
    element: Element;
    /** `live`: load into the element itself; otherwise a detached copy or a preload (a hedge). */
    start(source: Source, live: boolean, done: (outcome: Outcome) => void): Attempt;
    /** Makes the element use the winner; resolves false if that fails after all. */
    commit(source: Source): Promise<boolean>;
    /** Every source failed: the element is left with the origin URL. */
    giveUp(origin: Source): void;
    /** The URL the element uses from `source`, for events and the report. */
    url(source: Source): string;
    /** False where no timer may run (a lazy image, media): those only fail over on errors. */
    timed: boolean;
}
/** What a chain needs from the loader around it. */
export interface ChainContext {
    remaining(source: Source, since: number): number | null;
    settled(source: Source, outcome: Outcome | 'timeout'): void;
    moved(kind: Kind, from: Source, to: Source, reason: FallbackReason): void;
    loaded(kind: Kind, source: Source): void;
    lost(kind: Kind, origin: Source): void;
}
/**
 * Loads one resource through its candidates, each at most once, and reports the outcome.
 * Resolves with the winning source, or undefined when even the origin failed.
 */
export declare function runChain(kind: Kind, candidates: Source[], ctx: ChainContext): Promise<Source | undefined>;
/** Waits for the first of `ok` / `bad` events on `el`; returns the function that stops waiting. */
export declare function listen(el: EventTarget, done: (ok: boolean, e: Event) => void, ok?: string, bad?: string, capture?: boolean): () => void;
