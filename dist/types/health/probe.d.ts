import type { Source } from '../manifest/manifest.js';
/** One ping: whether the edge answered in time, and how long it took (ms). */
export interface PingResult {
    ok: boolean;
    ms: number;
}
/** The manifest's probe settings that a ping uses. */
export interface PingOptions {
    type: 'image' | 'fetch';
    path: string;
    timeout: number;
}
/**
 * Pings one edge once: an image or a fetch of the probe path with a cache-busting query. Fails on an
 * error or when no answer came within `timeout` ms: a host that accepts a connection and never
 * answers fires no event at all. Timed with performance.now(), refined with Resource Timing.
 */
export declare function ping(edge: Source, o: PingOptions): Promise<PingResult>;
