import type { FallbackReason } from '../types.js';
import { ORIGIN, type Source } from './manifest.js';
import { race, type Attempt, type Outcome } from './race.js';

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

const setTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/**
 * Loads one resource through its candidates, each at most once, and reports the outcome.
 * Resolves with the winning source, or undefined when even the origin failed.
 */
export async function runChain(kind: Kind, candidates: Source[], ctx: ChainContext): Promise<Source | undefined> {
  const tried = new Set<Source>();
  let left = candidates;
  while (left.length) {
    const list = left;
    const i = await race(list, {
      start: (s, live, done) => {
        tried.add(s);
        return kind.start(s, live, (o) => {
          ctx.settled(s, o);
          done(o);
        });
      },
      remaining: (s, since) => (kind.timed && s.id !== ORIGIN ? ctx.remaining(s, since) : null),
      moved: (from, to, reason) => {
        if (reason === 'timeout') ctx.settled(from, 'timeout');
        ctx.moved(kind, from, to, reason);
      },
      now: () => performance.now(),
      setTimer,
    });
    if (i < 0) break;
    if (await kind.commit(list[i])) {
      ctx.loaded(kind, list[i]);
      return list[i];
    }
    ctx.settled(list[i], 'error');
    left = list.filter((s) => !tried.has(s));
    if (left.length) ctx.moved(kind, list[i], left[0], 'error');
  }
  const origin = candidates[candidates.length - 1];
  kind.giveUp(origin);
  ctx.lost(kind, origin);
  return undefined;
}

/** Waits for the first of `ok` / `bad` events on `el`; returns the function that stops waiting. */
export function listen(el: EventTarget, done: (ok: boolean, e: Event) => void, ok = 'load', bad = 'error', capture = false): () => void {
  const onOk = (e: Event) => {
    stop();
    done(true, e);
  };
  const onBad = (e: Event) => {
    if (!accept(e)) return;
    stop();
    done(false, e);
  };
  // For media, error events of all but the last <source> only mean "try the next one".
  const accept = (e: Event) => !(e.target instanceof HTMLSourceElement) || !e.target.nextElementSibling?.matches('source');
  const stop = () => {
    el.removeEventListener(ok, onOk, capture);
    el.removeEventListener(bad, onBad, capture);
  };
  el.addEventListener(ok, onOk, capture);
  el.addEventListener(bad, onBad, capture);
  return stop;
}
