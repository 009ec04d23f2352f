import type { FallbackReason } from '../types.js';
import { ORIGIN, type Source } from '../manifest/manifest.js';
import { race, type Outcome } from './race.js';
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
export const timer = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/**
 * Which of the sources a resource failed on (error or integrity) are to blame: only those where a
 * later source then served it. A 404 that every source repeats is the asset's fault, not the edges'.
 */
export const blamed = (failed: Source[], winner: Source | undefined): Source[] => (winner ? failed : []);

/**
 * requestIdleCallback where there is one (not Safari: there a timer gives queued events a turn),
 * within 1 s: a page that is never idle (an animation, a throttled background tab) still decides.
 */
export const idle = (fn: () => void) => ((self as Partial<Window>).requestIdleCallback || setTimeout)(fn, { timeout: 1000 } as never);

/**
 * Loads one resource through its candidates, each at most once. Resolves with the winning source,
 * or undefined when even the origin failed. `failed`: the source it already failed on.
 */
export async function runChain(kind: Kind, candidates: Source[], ctx: ChainContext, failed?: Source): Promise<Source | undefined> {
  /** Every source tried, each once: its attempt. */
  const attempts = new Map<Source, Attempt & { _stop?: () => void }>();
  const failures = failed ? [failed] : [];
  let left = candidates;
  // Won before the chain (the runtime's build only): its attempt, watched and ended as the race would: its
  // edge delivered (deadline.ts, settle.ts).
  let winner = __RUNTIME__ ? kind._won : undefined;
  if (__RUNTIME__ && winner) ctx._settled(winner, 'ok', ctx._begin(winner, () => {}, true));
  while (left.length && !winner) {
    const list = left;
    const i = await race(list, {
      _start(s, live, done, check) {
        // A lazy attempt is late only once its source is down and nothing of it arrived: it moves in the
        // same task, with no idle check, before the page hears of the fall (cdn:edge) and scrolls it into
        // view on the down edge.
        const a: Attempt & { _stop?: () => void } = ctx._begin(s, kind._timed ? check : () => check(true), live);
        attempts.set(s, a);
        const cancel = kind._start(s, live, (o) => {
          // Reported also when a newer chain owns the element: the attempt is over either way.
          ctx._settled(s, o, a);
          if (!ctx._current()) return;
          if (o !== 'ok') failures.push(s);
          done(o);
        });
        return (a._stop = () => {
          cancel();
          ctx._settled(s, undefined, a);
        });
      },
      // A chain that is no longer current neither times out nor starts anything.
      _remaining: (s) => (s.id !== ORIGIN && ctx._current() ? ctx._remaining(s, attempts.get(s)!) : null),
      _lazy: !kind._timed,
      _moved(from, to, reason) {
        if (reason === 'timeout') ctx._settled(from, reason);
        ctx._moved(kind, from, to, reason);
      },
      _now: () => performance.now(),
      _setTimer: timer,
      _idle: idle,
    });
    if (i < 0) break;
    if (!ctx._current()) return undefined;
    const ok = await kind._commit(list[i]);
    // The winner's hedge copy is done once the element has its answer: emptied, it can request
    // nothing more (Firefox ESR 153, measured: when its cycle collector takes a detached <picture>
    // apart, the <img> selects again and requests its src, several seconds later).
    attempts.get(list[i])!._stop!();
    if (ok) winner = list[i];
    else if (!ctx._current()) return undefined;
    else {
      // The winner failed when it reached the element after all: go on with the untried ones.
      failures.push(list[i]);
      left = list.filter((s) => !attempts.has(s));
      if (left[0]) ctx._moved(kind, list[i], left[0], 'error');
    }
  }
  ctx._blame(blamed(failures, winner));
  kind._end(winner, ctx._origin);
  return winner;
}

/**
 * Waits for the first `ok` or `bad` event on `el`; returns the function that stops waiting. For
 * media, errors of a `<source>` followed by another only mean "the next one is tried".
 */
export function listen(el: EventTarget, done: (ok: boolean) => void, ok = 'load', bad = 'error', capture = false): () => void {
  const on = (e: Event) => {
    const t = e.target;
    if (e.type === bad && t instanceof HTMLSourceElement && t.nextElementSibling instanceof HTMLSourceElement) return;
    stop();
    done(e.type === ok);
  };
  const stop = () => {
    el.removeEventListener(ok, on, capture);
    el.removeEventListener(bad, on, capture);
  };
  el.addEventListener(ok, on, capture);
  el.addEventListener(bad, on, capture);
  return stop;
}
