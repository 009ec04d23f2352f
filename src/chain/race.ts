import type { FallbackReason } from '../types.js';

/** Ms between checks of a running attempt's deadline, at most. */
export const RECHECK = 250;

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

/** A running attempt: its cancel function, timer, and whether it is late. */
type Run = { _cancel?: () => void; _stop?: () => void; _late?: boolean };

/**
 * Tries `candidates` in order until one loads. A candidate that errors is replaced by the next; one
 * that has not finished in time gets the next started beside it (a hedged request), and the first to
 * finish wins. Every candidate is tried at most once, so the race always ends. Resolves with the
 * index of the winner, or -1 when every candidate failed.
 */
export function race<S>(candidates: readonly S[], hooks: RaceHooks<S>): Promise<number> {
  return new Promise((resolve) => {
    // Running attempts by index: their cancel function, timer, and whether they are late.
    const runs = new Map<number, Run>();
    let next = 0;
    let over = false;

    const finish = (winner: number) => {
      over = true;
      for (const [i, r] of runs) {
        r._stop?.();
        if (i !== winner) r._cancel?.();
      }
      resolve(winner);
    };

    // A late candidate keeps running; it only stops holding back the next one.
    const advance = (from: number, reason: FallbackReason) => {
      if (over || [...runs.values()].some((r) => !r._late)) return;
      if (next < candidates.length) {
        hooks._moved(candidates[from], candidates[next], reason);
        launch();
      } else if (!runs.size) finish(-1);
    };

    const launch = () => {
      const i = next++;
      const run: Run = {};
      const live = !runs.size;
      const since = hooks._now();
      runs.set(i, run);
      let confirmed = false;
      /** When the next check is due; Infinity once a late check postponed the decision (it does so once). */
      let due = since;
      const check = (now?: boolean) => {
        run._stop?.();
        const left = hooks._remaining(candidates[i], since);
        if (left === null || over || run._late || !runs.has(i)) return;
        // Checked again at least every RECHECK ms: the deadline shortens once latencies are measured. A
        // check that came more than RECHECK ms late ran after a long task (or in a hidden tab): answers
        // that arrived meanwhile may still be queued (Firefox ESR 153 runs idle callbacks before them,
        // measured after a 700 ms long task), so it decides nothing and looks again RECHECK ms later; once
        // only, for where every timer comes late (a hidden tab's run once a second) the deadline must still pass.
        const wait = !now && (left > 0 ? Math.min(left, RECHECK) : hooks._now() > due + RECHECK && RECHECK);
        if (wait) {
          due = left > 0 ? hooks._now() + wait : 1 / 0;
          run._stop = hooks._setTimer(check, wait);
        } else if (!confirmed && !now && hooks._idle) hooks._idle(() => check());
        else {
          // A lazy attempt never started, so nothing is lost: the next candidate takes its place, as lazily.
          if (hooks._lazy) {
            runs.delete(i);
            run._cancel?.();
          } else run._late = true;
          advance(i, 'timeout');
        }
        confirmed = left <= 0;
      };
      run._cancel = hooks._start(
        candidates[i],
        live,
        (outcome) => {
          if (over || !runs.delete(i)) return;
          run._stop?.();
          if (outcome === 'ok') finish(i);
          else advance(i, outcome);
        },
        check,
      );
      // (It returns at once if the attempt already ended.)
      check();
    };

    if (candidates.length) launch();
    else resolve(-1);
  });
}
