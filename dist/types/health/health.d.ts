import type { EdgeStatus } from '../types.js';
import type { Source } from '../manifest/manifest.js';
import type { Store } from '../lib/store.js';
import type { Selection } from '../chain/select.js';
/** Saved per edge URL: up (1/0), latency, falls, time saved, and 1 on the edge `always` used last. */
type Saved = Record<string, [number, number | null, number, number, number?]>;
/**
 * What an earlier page saved of the edge at `url`, if it is fresh (saved less than `ttl` ms ago):
 * [up (1/0), latency, falls, time saved, used (1 on the edge `always` used last)]. The inline boot
 * reads health with it too.
 */
export declare function remembered(saved: unknown, url: string, ttl: number, now: number): Saved[string] | undefined;
/** What earlier pages saved, for `remembered`: `get` reads a key of localStorage. */
export declare const saved: (get: Store['get']) => unknown;
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
export declare function newHealth(edges: Source[], o: HealthOptions): Health;
export {};
