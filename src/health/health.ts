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
  return Array.isArray(s) && now >= s[3] && now - s[3] < ttl ? s : undefined;
}

/** What earlier pages saved, for `remembered`. */
export const saved = (store: Store): unknown => store.get(KEY);

/** What Health needs: TTL and probe interval (ms), storage, a clock, and a change callback. */
export interface HealthOptions {
  ttl: number;
  interval: number;
  store: Store;
  now: () => number;
  changed: (status: EdgeStatus) => void;
  /**
   * The page's source selection: the edge `always` uses (`_best`) is saved with the health and set
   * again on the next page, which goes on with it until another edge is clearly faster (select.ts),
   * instead of moving its resources (and the HTTP cache's copies) to an edge whose remembered latency
   * is lower by noise.
   */
  sel?: Selection;
}

/**
 * Up/down and smoothed latency per edge. A failed ping or resource marks an edge down at once; a
 * down edge is re-probed after 1 s, doubling with every failure (its falls and the failed pings
 * while down) up to the probe interval, and comes back on a successful ping. Failures are forgotten
 * only after an edge stayed up a whole interval, so one that flaps spends ever longer out of
 * rotation instead of making sources thrash. Health is saved so that later pages start with what
 * this one learnt, for `ttl` ms.
 */
export class Health {
  // No prototype: edge ids such as "constructor" or "__proto__" are valid names.
  private _h: Record<string, { _up: boolean; _latency: number | null; _falls: number; _since: number }> = Object.create(null);

  constructor(
    private _edges: Source[],
    private _o: HealthOptions,
  ) {
    const now = _o.now();
    const all = _o.store.get(KEY);
    for (const e of _edges) {
      const s = remembered(all, e.url, _o.ttl, now);
      this._h[e.id] = s ? { _up: !!s[0], _latency: s[1], _falls: Math.min(+s[2] || 0, 9), _since: s[3] } : { _up: true, _latency: null, _falls: 0, _since: now };
      if (s?.[4] && _o.sel) _o.sel._best = e.id;
    }
  }

  isUp(id: string): boolean {
    return !!this._h[id]?._up;
  }

  latency(id: string): number | null {
    return this._h[id]?._latency ?? null;
  }

  /** Ms to wait before probing a down edge again. */
  backoff(id: string): number {
    return Math.min(this._o.interval, 500 * 2 ** (this._h[id]?._falls || 1));
  }

  /** Records one ping. */
  ping(id: string, ok: boolean, ms: number): void {
    const h = this._h[id];
    if (h && ok) h._latency = h._latency === null ? ms : Math.round(h._latency + ALPHA * (ms - h._latency));
    this._set(id, ok);
  }

  /** A real resource failed on this edge: it counts at once. */
  fail(id: string): void {
    this._set(id, false);
  }

  private _set(id: string, up: boolean): void {
    const h = this._h[id];
    if (!h) return;
    const now = this._o.now();
    if (h._up && up && now - h._since >= this._o.interval) h._falls = 0;
    // Every failure counts, also while down: each failed ping doubles the wait for the next.
    if (!up) h._falls++;
    if (h._up !== up) {
      h._up = up;
      h._since = now;
      this._o.changed(this.status(id));
    }
    const saved = this._o.store.get(KEY) || {};
    const out: Saved = Object.create(null);
    // Keep other pages' edges while they are fresh (a stale one is left undefined: JSON drops it, `remembered` reads it as nothing).
    for (const url in saved) out[url] = remembered(saved, url, this._o.ttl, now)!;
    for (const e of this._edges) {
      const x = this._h[e.id];
      out[e.url] = [+x._up, x._latency, x._falls, now, +(e.id === this._o.sel?._best)];
    }
    this._o.store.set(KEY, out);
  }

  status(id: string): EdgeStatus {
    const e = this._edges.find((x) => x.id === id)!;
    const h = this._h[id];
    return { id, url: e.url, weight: e.weight, state: h._up ? 'up' : 'down', latency: h._latency };
  }

  list(): EdgeStatus[] {
    return this._edges.map((e) => this.status(e.id));
  }
}
