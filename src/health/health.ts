import type { EdgeStatus } from '../types.js';
import type { Source } from '../manifest/manifest.js';
import type { Store } from '../lib/store.js';
import type { Selection } from '../chain/select.js';

const KEY = 'cdn-loader:health';
/** Weight of a new ping in the smoothed latency. */
const ALPHA = 0.3;

/** Saved per edge URL: up (1/0), latency, falls, time saved, and 1 on the edge `always` used last. */
type Saved = Record<string, [number, number | null, number, number, number?]>;

/**
 * What an earlier page saved of the edge at `url`, if it is fresh (saved less than `ttl` ms ago):
 * [up (1/0), latency, falls, time saved, used (1 on the edge `always` used last)]. The inline boot
 * reads health with it too.
 */
export function remembered(saved: unknown, url: string, ttl: number, now: number): Saved[string] | undefined {
  const s = (saved as Saved | undefined)?.[url];
  if (Array.isArray(s) && now >= s[3] && now - s[3] < ttl) return s;
}

/** What earlier pages saved, for `remembered`: `get` reads a key of localStorage. */
export const saved = (get: Store['get']): unknown => get(KEY);

/** What Health needs: TTL and probe interval (ms), storage, a clock, and a change callback. */
export interface HealthOptions {
  ttl: number;
  interval: number;
  _store: Store;
  _now: () => number;
  _changed: (status: EdgeStatus) => void;
  /**
   * The page's source selection: the edge `always` uses (`_best`) is saved with the health and set
   * again on the next page, which goes on with it until another edge is clearly faster (select.ts),
   * instead of moving its resources (and the HTTP cache's copies) to an edge whose remembered latency
   * is lower by noise.
   */
  _sel?: Selection;
}

/** Up/down and smoothed latency per edge (see `newHealth`). */
export interface Health {
  isUp(id: string): boolean;
  latency(id: string): number | null;
  /** Ms to wait before probing a down edge again. */
  backoff(id: string): number;
  /** Records one ping. */
  ping(id: string, ok: boolean, ms: number): void;
  /** A real resource failed on this edge: it counts at once. */
  fail(id: string): void;
  list(): EdgeStatus[];
}

/**
 * Up/down and smoothed latency per edge. A failed ping or resource marks an edge down at once; a
 * down edge is re-probed after 1 s, doubling with every failure (its falls and the failed pings
 * while down) up to the probe interval, and comes back on a successful ping. Failures are forgotten
 * only after an edge stayed up a whole interval, so one that flaps spends ever longer out of
 * rotation instead of making sources thrash. Health is saved so that later pages start with what
 * this one learnt, for `ttl` ms.
 */
export function newHealth(edges: Source[], o: HealthOptions): Health {
  const start = o._now();
  const memory = o._store.get(KEY);
  // A Map: edge ids such as "constructor" or "__proto__" are valid names.
  const all = new Map<string, { _up: boolean; _latency: number | null; _falls: number; _since: number }>();
  for (const e of edges) {
    const s = remembered(memory, e.url, o.ttl, start);
    all.set(e.id, s ? { _up: !!s[0], _latency: s[1], _falls: Math.min(+s[2] || 0, 9), _since: s[3] } : { _up: true, _latency: null, _falls: 0, _since: start });
    if (s?.[4] && o._sel) o._sel._best = e.id;
  }

  const set = (id: string, up: boolean): void => {
    const h = all.get(id);
    if (!h) return;
    const now = o._now();
    if (h._up && up && now - h._since >= o.interval) h._falls = 0;
    // Every failure counts, also while down: each failed ping doubles the wait for the next.
    if (!up) h._falls++;
    if (h._up !== up) {
      h._up = up;
      h._since = now;
      o._changed(status(edges.find((e) => e.id === id)!));
    }
    const saved = o._store.get(KEY) || {};
    const out: Saved = Object.create(null);
    // Keep other pages' edges while they are fresh (a stale one is left undefined: JSON drops it, `remembered` reads it as nothing).
    for (const url in saved) out[url] = remembered(saved, url, o.ttl, now)!;
    for (const e of edges) {
      const x = all.get(e.id)!;
      out[e.url] = [+x._up, x._latency, x._falls, now, +(e.id === o._sel?._best)];
    }
    o._store.set(KEY, out);
  };

  const status = (e: Source): EdgeStatus => {
    const h = all.get(e.id)!;
    return { id: e.id, url: e.url, weight: e.weight, state: h._up ? 'up' : 'down', latency: h._latency };
  };

  return {
    isUp: (id) => !!all.get(id)?._up,
    latency: (id) => all.get(id)?._latency ?? null,
    backoff: (id) => Math.min(o.interval, 500 * 2 ** (all.get(id)?._falls || 1)),
    ping(id, ok, ms) {
      const h = all.get(id);
      if (h && ok) h._latency = h._latency === null ? ms : Math.round(h._latency + ALPHA * (ms - h._latency));
      set(id, ok);
    },
    fail: (id) => set(id, false),
    list: () => edges.map(status),
  };
}
