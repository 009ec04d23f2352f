import type { Source } from '../manifest/manifest.js';
import type { Health } from './health.js';
import type { PingOptions, PingResult } from './probe.js';
/** What the monitor needs: the edges, their health, probe settings, and injectable ping and timers. */
export interface MonitorOptions {
    edges: Source[];
    _health: Health;
    probe: PingOptions & {
        interval: number;
    };
    _ping: (edge: Source, opts: PingOptions) => Promise<PingResult>;
    /** Reported after every ping. */
    _pinged: (edge: Source, result: PingResult) => void;
    _setTimer: (fn: () => void, ms: number) => () => void;
    /**
     * Whether the edge delivered something in the last `ms` ms. A ping that timed out meanwhile proves
     * nothing, and one that answered measured its wait as much as the edge: over HTTP/1.1 it may have
     * waited behind the edge's six busy connections, and on a full link behind their bytes.
     */
    _busy?: (id: string, ms: number) => boolean;
    /** False while the page is hidden: rounds pause then. */
    _visible: () => boolean;
}
/** Keeps edges probed: a round at start, then every interval while visible; down edges on their backoff. */
export interface Monitor {
    /** Pings every edge now; resolves when all answered or timed out. */
    _round(): Promise<void>;
    /** Pings one edge soon, unless a ping of it is under way (e.g. a resource on it is late). */
    _check(id: string): void;
    /** An edge went down without a ping (a resource failed on it): ping it after its backoff. */
    _down(id: string): void;
    /** Call when the page becomes visible again: a round is run if one is due. */
    _wake(): void;
    _stop(): void;
}
/** Starts nothing by itself: call `_round()` to ping at start; rounds then repeat every interval. */
export declare function monitor(o: MonitorOptions): Monitor;
