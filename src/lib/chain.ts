import type { FallbackReason } from '../types.js';
import { ORIGIN, type Source } from './manifest.js';
import { race, type Outcome } from './race.js';

/** How one kind of element loads from a source; the chain decides which source and when. */
export interface Kind {
  el: Element;
  /** `live`: load into the element itself; otherwise into a detached copy or a preload (a hedge). */
  start(source: Source, live: boolean, done: (outcome: Outcome) => void): () => void;
  /** Makes the element use the winner; resolves false if that fails after all. */
  commit(source: Source): Promise<boolean>;
  /** Called once at the end with the winner, or undefined when every source failed. */
  end(winner: Source | undefined, origin: Source): void;
  /** The URL the element uses from `source`, for events and the report. */
  url(source: Source): string;
  /** False where no timer may run (a lazy image, media): those fail over on errors only. */
  timed: boolean;
  /** Set when the element left the page before it could be used: no events then. */
  gone?: boolean;
}

/** What a chain needs from the loader around it. */
export interface ChainContext {
  origin: Source;
  /** False once the element was given a new URL (a newer chain owns it): this one then ends silently. */
  current(): boolean;
  remaining(source: Source, since: number): number | null;
  settled(source: Source, outcome: Outcome | 'timeout'): void;
  moved(kind: Kind, from: Source, to: Source, reason: FallbackReason): void;
}

/** setTimeout that returns its own cancel function. */
export const timer = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/**
 * Loads one resource through its candidates, each at most once. Resolves with the winning source,
 * or undefined when even the origin failed.
 */
export async function runChain(kind: Kind, candidates: Source[], ctx: ChainContext): Promise<Source | undefined> {
  const tried = new Set<Source>();
  let left = candidates;
  let winner: Source | undefined;
  while (left.length && !winner) {
    const list = left;
    const i = await race(list, {
      start(s, live, done) {
        tried.add(s);
        return kind.start(s, live, (o) => {
          if (!ctx.current()) return;
          ctx.settled(s, o);
          done(o);
        });
      },
      // A chain that is no longer current neither times out nor starts anything.
      remaining: (s, since) => (kind.timed && s.id !== ORIGIN && ctx.current() ? ctx.remaining(s, since) : null),
      moved(from, to, reason) {
        if (reason === 'timeout') ctx.settled(from, reason);
        ctx.moved(kind, from, to, reason);
      },
      now: () => performance.now(),
      setTimer: timer,
    });
    if (i < 0) break;
    if (!ctx.current()) return undefined;
    if (await kind.commit(list[i])) winner = list[i];
    else if (!ctx.current()) return undefined;
    else {
      // The winner failed when it reached the element after all: go on with the untried ones.
      ctx.settled(list[i], 'error');
      left = list.filter((s) => !tried.has(s));
      if (left[0]) ctx.moved(kind, list[i], left[0], 'error');
    }
  }
  kind.end(winner, ctx.origin);
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
