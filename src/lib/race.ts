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
export function race<S>(candidates: readonly S[], hooks: RaceHooks<S>): Promise<number> {
  return new Promise((resolve) => {
    type Run = { attempt?: Attempt; stopTimer?: () => void; late: boolean };
    const runs = new Map<number, Run>();
    let next = 0;
    let over = false;

    const finish = (winner: number) => {
      over = true;
      for (const [i, run] of runs) {
        run.stopTimer?.();
        if (i !== winner) run.attempt?.cancel();
      }
      runs.clear();
      resolve(winner);
    };

    // A candidate that timed out keeps running; it only stops holding back the next one.
    const live = () => [...runs.values()].some((r) => !r.late);

    const advance = (from: number, reason: FallbackReason) => {
      if (over || live()) return;
      if (next >= candidates.length) {
        if (!runs.size) finish(-1);
        return;
      }
      hooks.moved(candidates[from], candidates[next], reason);
      launch();
    };

    const arm = (i: number, run: Run, since: number) => {
      const ms = hooks.remaining(candidates[i], since);
      if (ms === null) return;
      const check = () => {
        if (over || !runs.has(i)) return;
        const left = hooks.remaining(candidates[i], since);
        if (left !== null && left > 0) {
          run.stopTimer = hooks.setTimer(check, left);
          return;
        }
        run.late = true;
        advance(i, 'timeout');
      };
      run.stopTimer = hooks.setTimer(check, Math.max(0, ms));
    };

    function launch() {
      const i = next++;
      const run: Run = { late: false };
      const hedge = runs.size > 0;
      runs.set(i, run);
      const since = hooks.now();
      let settled = false;
      run.attempt = hooks.start(candidates[i], !hedge, (outcome) => {
        if (settled || over) return;
        settled = true;
        run.stopTimer?.();
        runs.delete(i);
        if (outcome === 'ok') return finish(i);
        advance(i, outcome === 'integrity' ? 'integrity' : 'error');
      });
      if (!settled && !over) arm(i, run, since);
    }

    if (candidates.length) launch();
    else resolve(-1);
  });
}
