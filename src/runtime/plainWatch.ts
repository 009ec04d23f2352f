import { ORIGIN, findRule, type Config, type Source } from '../manifest/manifest.js';
import { listen, type Kind } from '../chain/chain.js';
import type { Health } from '../health/health.js';
import { elementKind, type KindOptions } from '../page/bind.js';
import { parts, picture, primary, sources, type Part } from '../page/parts.js';
import { parsed } from '../page/parsed.js';
import { owned } from '../page/scripts.js';
import type { Takeover } from './takeover.js';
import type { Attempt, Deadlines } from '../chain/deadline.js';
import type { Where } from '../manifest/written.js';
import { RECHECK } from '../chain/race.js';

/** The loader's chain of one resource (loader.ts `run`). */
type Run = (list: Part[], make: (list: Part[], o: KindOptions) => Kind, failed?: Source) => unknown;

/**
 * Plain `src`/`href` of registered assets at an edge, still loading when the runtime comes (the
 * preload scanner asked for them before any script ran): images and stylesheets. Each is timed as
 * one the boot started, its own request the first attempt (nothing is set on it, nothing fetched
 * again), and moved to its next source on a hang; at once when its edge is down (remembered, or found
 * down on this page) and nothing of it has arrived. Looked for when the manifest is in force, and
 * again once the page is parsed. The one-tag build leaves them as they are (it has no `__RUNTIME__`).
 * One the boot moved off an edge it knew down is the boot's record, claimed as the boot's are.
 */
export function watchPlain(
  cfg: Config,
  where: Where,
  health: Health,
  bound: WeakMap<Element, string[]>,
  boot: Takeover,
  run: Run,
  timing: Deadlines,
): void {
  // The preload scanner has asked for every element of the page's HTML once it has all arrived: found by the
  // first scan, their deadlines count from then, as the boot's records count from when the boot saw each
  // element; from when the page was parsed if it already was (a script, held by a slow script of the page,
  // may have added one just before: it is not late for that wait). One first found later counts from then.
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  let by = nav && Math.max(nav.responseEnd, nav.domContentLoadedEventStart);
  /**
   * Images still loading at an edge that is up, by edge, each with its attempt in the failure detector
   * (deadline.ts: counted among those in flight there, its clock restarted by what arrives there), but no chain
   * and no timer of its own while its edge delivers (a healthy page's load costs one listener, not a chain per
   * image). Each is taken (its chain then watches it from its clock, runtime/loader.ts `run`) when it loads (won
   * at its first attempt), when six or fewer wait there, when one is late, or when its edge goes down.
   */
  const waiting = new Map<Source, Map<Element, Attempt>>();
  const armed = new Set<Source>();
  const waits = (el: Element) => {
    for (const l of waiting.values()) if (l.has(el)) return true;
  };
  /** Takes `el` off the list of `s`: its attempt ends (`ok`: it loaded, a sign of life there), its chain runs. */
  const off = (s: Source, el: Element, ok?: boolean) => {
    const a = waiting.get(s)?.get(el);
    if (!a) return;
    waiting.get(s)!.delete(el);
    timing._end(a, !!ok);
    // One that failed where no event reached the document (out of it then) moves on, as plainError moves one
    // (loader.ts; in a task of its own, as there, should its error event still be on its way).
    const i = el as HTMLImageElement;
    if (!ok && i.complete && !i.naturalWidth && !bound.has(el))
      bound.set(el, []), setTimeout(() => run(parts([...sources(picture(el)), el], ['srcset', 'src'], true), (own, o) => elementKind(el, own, o), s));
    else one(el, ok ? undefined : a._seen);
  };
  /** Takes the images waiting at `s` once six or fewer are left, or one is late there. */
  const due = (s: Source) => {
    const l = waiting.get(s);
    const left = l && Math.min(...[...l.values()].map(timing._remaining));
    if (!l || l.size < 7 || left! <= 0) return l?.forEach((_, el) => off(s, el));
    // Again at least every RECHECK ms: the deadline shortens once latencies are measured.
    if (!armed.has(s)) armed.add(s), setTimeout(() => (armed.delete(s), due(s)), Math.min(left!, RECHECK));
  };
  const ended = (e: Event) => {
    for (const [s, l] of waiting)
      if (l.has(e.target as Element)) {
        // (An error is plainError's: loader.ts.)
        off(s, e.target as Element, e.type == 'load');
        // (More than six left: the edge's timer, armed, looks at their clocks.)
        if (l.size < 7) due(s);
      }
  };
  // (On the document: an element's load event does not reach the window.)
  document.addEventListener('load', ended, true);
  document.addEventListener('error', ended, true);
  /** Watches `el` if it is a plain registered element at an edge; `since`: when its clock started (a waiting image's). */
  const one = (el: Element, since?: number) => {
    const img = el instanceof HTMLImageElement;
    const list = () => (img ? parts([...sources(picture(el)), el], ['srcset', 'src'], true) : parts([el], ['href'], true));
    /** Runs its chain (claimed as the boot's records are: takeover.ts). */
    const take = (own: Part[]) => {
      bound.set(el, []);
      run(own, (own, o) => elementKind(el, own, o));
    };
    // One the boot moved off an edge it knew down is the boot's record: claimed as the boot's are, from where
    // the boot set it, its deadline from then (takeover.ts), whatever its state.
    if (boot._has(el) && !bound.has(el)) return take(list());
    const loading = img ? !el.complete : /stylesheet/i.test((el as HTMLLinkElement).rel) && !(el as HTMLLinkElement).sheet;
    // One already shown is taken too, as the boot's loaded records are: its edge delivered (deadline.ts
    // counts it alive, and busy: settle.ts), so what is still loading there is not taken for a dead edge.
    const shown = img ? el.complete && el.naturalWidth > 0 : !!(el as HTMLLinkElement).sheet;
    const l = (loading || shown) && !bound.has(el) && !owned.has(el) ? where((el as HTMLImageElement).currentSrc || el.getAttribute(img ? 'src' : 'href')!) : undefined;
    // Registered both where it loads from (a <picture>'s <source>) and as the chain names it (its <img src>).
    const own = l && findRule(cfg, l.path) ? list() : [];
    const named = own[0] && where(primary(own)!);
    const from = named && findRule(cfg, named.path) ? l!.source : undefined;
    if (!from || from.id === ORIGIN) return;
    const up = health.isUp(from.id);
    if (up && since === undefined && loading && img) {
      // An edge that goes down takes it (deadline.ts `_down` checks each attempt there).
      const a = timing._begin(from.id, () => el.naturalWidth > 0 || el.complete, () => off(from, el));
      a._seen = by || a._seen;
      return void waiting.set(from, (waiting.get(from) || new Map()).set(el, a));
    }
    // A down edge: late at once, unless a response is already arriving there (deadline.ts).
    let clock = up ? since ?? (by || performance.now()) : -1 / 0;
    // Its chain's first attempt and the rest, handed over when `take` runs it.
    boot._plain.set(el, {
      _cands: (cands) => [from, ...cands.filter((s) => s !== from)],
      _adopt(kind, ctx) {
        // Its chain is the element's while the element keeps the URLs the chain gave it: no data-cdn-* says when
        // the page sets another src (a gallery), and the chain must not write its old one back then.
        const urls = () => list().map((p) => p._value).join();
        let mine = urls();
        const current = ctx._current;
        ctx._current = () => current() && urls() == mine;
        // One already shown has won at its first attempt: nothing of the chain runs but its end (chain.ts).
        if (shown) return void (kind._won = from);
        const { _start: start, _commit: commit, _end: end } = kind;
        kind._end = (w, o) => ctx._current() && end(w, o);
        const begin = ctx._begin;
        ctx._begin = (s, check, live) => {
          const a = begin(s, check, live);
          // A stylesheet holds the page's rendering, and with it every idle callback (Chromium 156 runs them at
          // their 1 s timeout then, measured): it is late at its deadline, without the race's idle check; on an
          // edge known down, anything is late at once. (Signs of life still count: deadline.ts.)
          const late = () => {
            const left = ctx._remaining(s, a);
            if (left !== null && !(el as HTMLLinkElement).sheet) left > 0 ? setTimeout(late, left) : check(true);
          };
          if (clock < 0 || !img) setTimeout(late);
          if (clock) (a._seen = clock), (clock = 0);
          return a;
        };
        // Its first attempt is its own request, left as it is.
        kind._start = (s, live, done) => {
          if (s === from && live) return listen(el, (ok) => done(ok ? 'ok' : 'error'));
          const stop = start(s, live, done);
          // Loaded into the element itself, the URLs are the chain's.
          if (live) mine = urls();
          return stop;
        };
        kind._commit = (s) => {
          const done = s === from ? Promise.resolve(true) : commit(s);
          mine = urls();
          return done;
        };
      },
    });
    take(own);
  };
  const scan = () => {
    const all = [...document.querySelectorAll('img[src]:not([data-cdn-src],[data-cdn-srcset]),link[href]:not([data-cdn-href])')].filter((el) => !waits(el));
    // Those still loading first: one found shown is its edge's sign of life for them (deadline.ts: more than six
    // in flight there; a slow link, the runtime came after the first deadline).
    for (const el of all) if (!(el as HTMLImageElement).complete) one(el);
    for (const el of all) if ((el as HTMLImageElement).complete) one(el);
    waiting.forEach((_, s) => due(s));
  };
  scan();
  by = 0;
  parsed(scan);
}
