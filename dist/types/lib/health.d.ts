import type { EdgeStatus } from '../types.js';
import type { Source } from './manifest.js';
import type { Store } from './store.js';
/**
 * Up/down and smoothed latency per edge. A failed ping or resource marks an edge down at once; a
 * down edge is re-probed with exponential backoff and comes back on a successful ping. Each fall
 * doubles the next backoff until the edge has stayed up for a whole probe interval, so an edge that
 * flaps spends ever longer out of rotation instead of making sources thrash. Health is saved so the
 * next page starts with what this one learnt, for `ttl` ms.
 */
export declare class Health {
    private _sources;
    private _opts;
    private _edges;
    constructor(_sources: Source[], _opts: {
        ttl: number;
        interval: number;
        store: Store;
        now: () => number;
        changed: (status: EdgeStatus) => void;
    });
    private _get;
    isUp(id: string): boolean;
    latency(id: string): number | null;
    /** Ms to wait before probing a down edge again. */
    backoff(id: string): number;
    /** Records one ping. */
    ping(id: string, ok: boolean, ms: number): void;
    /** A real resource failed on this edge: it counts at once. */
    fail(id: string): void;
    private _set;
    status(id: string): EdgeStatus;
    list(): EdgeStatus[];
    private _save;
}
