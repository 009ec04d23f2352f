import type { FallbackReason } from '../types.js';
/** Ms between checks of a running attempt's deadline, at most. */
export declare const RECHECK = 250;
/** How one attempt on one source ended. */
export type Outcome = 'ok' | 'error' | 'integrity';
/** What a race needs from its caller: how to start an attempt, its deadline, and a clock. */
export interface RaceHooks<S> {
    /**
     * Starts loading from `source`; `live` is false while an earlier attempt still runs (a hedge).
     * `check` re-checks its deadline at once (e.g. its source went down); `now`: it is late now, whatever
     * its deadline, and needs no idle check (its source is dead: confirmed already). Returns a cancel function.
     */
    _start(source: S, live: boolean, done: (outcome: Outcome) => void, check: (now?: boolean) => void): () => void;
    /** Ms from now until an attempt started at `since` counts as late; <= 0: now; null: never. */
    _remaining(source: S, since: number): number | null;
    /** A candidate was abandoned and the next one starts. */
    _moved(from: S, to: S, reason: FallbackReason): void;
    /** Attempts that start only when the browser needs them (lazy images): a late one is replaced, not hedged. */
    _lazy?: boolean;
    _now(): number;
    _setTimer(fn: () => void, ms: number): () => void;
    /**
     * Runs `fn` once the main thread is idle. A deadline that passed is confirmed there: an answer that
     * arrived while the thread was busy is still queued behind the timer (Chromium runs timers first,
     * measured), so neither Resource Timing nor the element shows it yet.
     */
    _idle?(fn: () => void): void;
}
/**
 * Tries `candidates` in order until one loads. A candidate that errors is replaced by the next; one
 * that has not finished in time gets the next started beside it (a hedged request), and the first to
 * finish wins. Every candidate is tried at most once, so the race always ends. Resolves with the
 * index of the winner, or -1 when every candidate failed.
 */
export declare function race<S>(candidates: readonly S[], hooks: RaceHooks<S>): Promise<number>;
