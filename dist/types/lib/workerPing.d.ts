import type { Source } from './manifest.js';
import type { PingOptions, PingResult } from './probe.js';
/**
 * One ping from the service worker (which has no images): a no-cors fetch of the probe path with a
 * cache-busting query; an answer of any kind within `timeout` ms is a live edge.
 */
export declare function workerPing(edge: Source, o: PingOptions): Promise<PingResult>;
