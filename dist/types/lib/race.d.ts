import type { FallbackReason } from '../types.js';
/** How one attempt on one source ended. */
export type Outcome = 'ok' | 'error' | 'integrity';
/** A running attempt; `cancel` stops its request and silences its callback. */
export interface Attempt {
    cancel(): void;
}
export interface RaceHooks<S> {
    /** Starts loading from `source`; `live` is false while an earlier attempt is still running (a hedge). */
    start(source: S, live: boolean, done: (outcome: Outcome) => void): Attempt;
    /** Ms from now until an attempt started at `since` counts as timed out; <= 0 means now; null: never. */
    remaining(source: S, since: number): number | null;
    /** Called when a candidate is abandoned and the next one starts. */
    moved(from: S, to: S, reason: FallbackReason): void;
    now(): number;
    setTimer(fn: () => void, ms: number): () => void;
}
/**
 * Tries `candidates` in order until one loads. A candidate that errors is replaced by the next; one
 * that has not finished in time gets the next started beside it (a hedged request), and the first to
 * finish wins. Every candidate is tried at most once, so the race always ends. Resolves with the
 * index of the winner, or -1 when every candidate failed.
 */
export declare function race<S>(candidates: readonly S[], hooks: RaceHooks<S>): Promise<number>;
