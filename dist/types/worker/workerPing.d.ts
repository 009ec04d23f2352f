import type { Source } from '../manifest/manifest.js';
import type { PingOptions, PingResult } from '../health/probe.js';
/**
 * One ping from the service worker (which has no images): a fetch of the probe path with a
 * cache-busting query, within `timeout` ms. In CORS mode a 5xx reads as down (an opaque answer would
 * hide it); an edge that sends no CORS headers is asked again without, and any answer then is alive.
 */
export declare function workerPing(edge: Source, o: PingOptions): Promise<PingResult>;
