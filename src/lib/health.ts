import type { EdgeStatus } from '../types.js';
import type { Source } from './manifest.js';
import type { Store } from './store.js';

const KEY = 'cdn-loader:health';
/** Weight of a new ping in the smoothed latency. */
const ALPHA = 0.3;
/** First re-probe delay of a down edge; it doubles with every fall and is capped by the probe interval. */
const BACKOFF = 1000;

interface EdgeHealth {
  up: boolean;
  latency: number | null;
  /** How often the edge went down since it was last stable; drives the backoff. */
  falls: number;
  /** When the edge last changed state (ms, Date.now clock). */
  since: number;
}

type Saved = Record<string, { u: 0 | 1; l: number | null; f: number; t: number }>;

/**
 * Up/down and smoothed latency per edge. A failed ping or resource marks an edge down at once; a
 * down edge is re-probed with exponential backoff and comes back on a successful ping. Each fall
 * doubles the next backoff until the edge has stayed up for a whole probe interval, so an edge that
 * flaps spends ever longer out of rotation instead of making sources thrash. Health is saved so the
 * next page starts with what this one learnt, for `ttl` ms.
 */
export class Health {
  private _edges = new Map<string, EdgeHealth>();

  constructor(
    private _sources: Source[],
    private _opts: {
      ttl: number;
      interval: number;
      store: Store;
      now: () => number;
      changed: (status: EdgeStatus) => void;
    },
  ) {
    const saved = (_opts.store.get(KEY) ?? {}) as Saved;
    const now = _opts.now();
    for (const s of _sources) {
      const old = typeof saved === 'object' && saved ? saved[s.url] : undefined;
      const fresh = old && typeof old.t === 'number' && now - old.t < _opts.ttl && now >= old.t;
      this._edges.set(s.id, {
        up: fresh ? old.u === 1 : true,
        latency: fresh && typeof old.l === 'number' ? old.l : null,
        falls: fresh && typeof old.f === 'number' ? Math.min(old.f, 10) : 0,
        since: fresh ? old.t : now,
      });
    }
  }

  private _get(id: string): EdgeHealth | undefined {
    return this._edges.get(id);
  }

  isUp(id: string): boolean {
    return this._get(id)?.up ?? false;
  }

  latency(id: string): number | null {
    return this._get(id)?.latency ?? null;
  }

  /** Ms to wait before probing a down edge again. */
  backoff(id: string): number {
    const h = this._get(id);
    return Math.min(this._opts.interval, BACKOFF * 2 ** Math.max(0, (h?.falls ?? 1) - 1));
  }

  /** Records one ping. */
  ping(id: string, ok: boolean, ms: number): void {
    const h = this._get(id);
    if (!h) return;
    if (ok) h.latency = h.latency === null ? ms : Math.round((1 - ALPHA) * h.latency + ALPHA * ms);
    this._set(id, h, ok);
  }

  /** A real resource failed on this edge: it counts at once. */
  fail(id: string): void {
    const h = this._get(id);
    if (h) this._set(id, h, false);
  }

  private _set(id: string, h: EdgeHealth, up: boolean): void {
    const now = this._opts.now();
    if (h.up && up && h.falls && now - h.since >= this._opts.interval) h.falls = 0;
    if (h.up !== up) {
      h.up = up;
      h.since = now;
      if (!up) h.falls++;
      this._opts.changed(this.status(id));
    }
    this._save();
  }

  status(id: string): EdgeStatus {
    const s = this._sources.find((x) => x.id === id)!;
    const h = this._get(id)!;
    return { id, url: s.url, weight: s.weight, state: h.up ? 'up' : 'down', latency: h.latency };
  }

  list(): EdgeStatus[] {
    return this._sources.map((s) => this.status(s.id));
  }

  private _save(): void {
    const saved = ((this._opts.store.get(KEY) ?? {}) as Saved) || {};
    const out: Saved = Object.create(null);
    const now = this._opts.now();
    // Keep other sites' edges that are still fresh; drop what expired.
    for (const [url, v] of Object.entries(saved)) if (v && now - v.t < this._opts.ttl) out[url] = v;
    for (const s of this._sources) {
      const h = this._get(s.id)!;
      out[s.url] = { u: h.up ? 1 : 0, l: h.latency, f: h.falls, t: now };
    }
    this._opts.store.set(KEY, out);
  }
}
