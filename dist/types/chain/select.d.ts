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
export declare const newSelection: () => Selection;
/**
 * `always`: the healthy edge with the best measured latency; before any measurement the first
 * healthy edge in manifest order. Hysteresis keeps the current best unless another edge is clearly
 * faster, so measurement noise does not make sources thrash.
 */
export declare function pickFastest(healthy: Source[], latency: (id: string) => number | null | undefined, sel: Selection): Source | undefined;
/** Smooth weighted round-robin (as in nginx): spreads choices evenly within a page, in proportion to the weights. */
export declare function pickRoundRobin(pool: Source[], sel: Selection): Source | undefined;
/** FNV-1a with a final avalanche, mapped into (0, 1). */
export declare function hash01(text: string): number;
/** Weighted rendezvous hashing: the same path maps to the same source while the pool stays the same. */
export declare function pickSticky(pool: Source[], path: string): Source | undefined;
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
export declare function choose(c: Choice, path: string, sel: Selection): Source;
/**
 * The candidates of one resource: the chosen source, then up to `retries` other healthy edges
 * (fastest first), then the origin, last and always. Each source appears once.
 */
export declare function candidates(c: Choice, chosen: Source, retries: number): Source[];
