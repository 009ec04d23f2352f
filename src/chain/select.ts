import type { Mode } from '../types.js';
import type { Source } from '../manifest/manifest.js';

/** What source selection remembers between choices on one page. */
export interface Selection {
  /** Smooth weighted round-robin counters, by source id. */
  _current: Map<string, number>;
  /** The edge `always` mode prefers, kept until another is clearly faster. */
  _best?: string;
}

/** A fresh selection state, one per page. */
export const newSelection = (): Selection => ({ _current: new Map() });

/** A latency must beat the current best edge by this factor and margin before `always` switches. */
const SWITCH_FACTOR = 0.8;
const SWITCH_MARGIN = 5;

/**
 * `always`: the healthy edge with the best measured latency; before any measurement the first
 * healthy edge in manifest order. Hysteresis keeps the current best unless another edge is clearly
 * faster, so measurement noise does not make sources thrash.
 */
export function pickFastest(healthy: Source[], latency: (id: string) => number | null | undefined, sel: Selection): Source | undefined {
  /** An unmeasured edge (or none) is slower than any measured one. */
  const ms = (s?: Source) => (s && latency(s.id)) ?? Infinity;
  const current = healthy.find((s) => s.id === sel._best);
  // The first of equally fast edges in manifest order.
  const fastest = healthy.reduce<Source | undefined>((f, s) => (ms(s) < ms(f) ? s : f), undefined);
  const pick = current && !(ms(fastest) < ms(current) * SWITCH_FACTOR - SWITCH_MARGIN) ? current : fastest ?? healthy[0];
  sel._best = pick?.id;
  return pick;
}

/** Smooth weighted round-robin (as in nginx): spreads choices evenly within a page, in proportion to the weights. */
export function pickRoundRobin(pool: Source[], sel: Selection): Source | undefined {
  let total = 0;
  let best: Source | undefined;
  let bestCw = -Infinity;
  for (const s of pool) {
    if (!(s.weight > 0)) continue;
    const cw = (sel._current.get(s.id) ?? 0) + s.weight;
    sel._current.set(s.id, cw);
    total += s.weight;
    if (cw > bestCw) {
      bestCw = cw;
      best = s;
    }
  }
  if (best) sel._current.set(best.id, bestCw - total);
  return best;
}

/** FNV-1a with a final avalanche, mapped into (0, 1). */
export function hash01(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) + 0.5) / 2 ** 32;
}

/** Weighted rendezvous hashing: the same path maps to the same source while the pool stays the same. */
export function pickSticky(pool: Source[], path: string): Source | undefined {
  let best: Source | undefined;
  let bestScore = -Infinity;
  for (const s of pool) {
    if (!(s.weight > 0)) continue;
    const score = -s.weight / Math.log(hash01(s.id + '\n' + path));
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}

/** What a choice is made from: the mode, the origin, the healthy edges and their latency. */
export interface Choice {
  _mode: Mode;
  _sticky?: boolean;
  _origin: Source;
  /** Healthy edges in manifest order. */
  _healthy: Source[];
  /** Its smoothed latency (ms); null or undefined when unknown. */
  _latency: (id: string) => number | null | undefined;
}

/**
 * Chooses the first source of a resource: with `off` the origin; with `always` the fastest healthy edge;
 * else one of the healthy edges and the origin, by path (`sticky`) or in turn. The origin serves when no
 * edge can.
 */
export function choose(c: Choice, path: string, sel: Selection): Source {
  const pool = [...c._healthy, c._origin];
  const pick =
    c._mode === 'off'
      ? c._origin
      : c._mode === 'always'
        ? pickFastest(c._healthy, c._latency, sel)
        : c._sticky
          ? pickSticky(pool, path)
          : pickRoundRobin(pool, sel);
  return pick ?? c._origin;
}

/**
 * The candidates of one resource: the chosen source, then up to `retries` other healthy edges
 * (fastest first), then the origin, last and always. Each source appears once.
 */
export function candidates(c: Choice, chosen: Source, retries: number): Source[] {
  if (chosen.id === c._origin.id) return [c._origin];
  const l = (s: Source) => c._latency(s.id) ?? Infinity;
  // Array#sort is stable: edges of equal (or unknown) latency keep manifest order.
  const others = c._healthy
    .filter((s) => s !== chosen)
    .sort((a, b) => l(a) - l(b))
    .slice(0, retries);
  return [chosen, ...others, c._origin];
}
