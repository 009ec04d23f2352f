import type { Source } from './manifest.js';
export interface PingResult {
    ok: boolean;
    ms: number;
}
export interface PingOptions {
    type: 'image' | 'fetch';
    path: string;
    timeout: number;
}
/** The probe URL of an edge, with a cache-busting query. */
export declare const probeUrl: (edge: Source, path: string) => string;
/**
 * Pings one edge once: an image or a fetch of the probe path. Fails on an error, or when no answer
 * came within `timeout` ms — a host that accepts a connection and never answers fires no event at all.
 */
export declare function ping(edge: Source, opts: PingOptions): Promise<PingResult>;
