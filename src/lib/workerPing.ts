import type { Source } from './manifest.js';
import type { PingOptions, PingResult } from './probe.js';
import { timer } from './chain.js';

/**
 * One ping from the service worker (which has no images): a no-cors fetch of the probe path with a
 * cache-busting query; an answer of any kind within `timeout` ms is a live edge.
 */
export function workerPing(edge: Source, o: PingOptions): Promise<PingResult> {
  const t0 = performance.now();
  const ctrl = new AbortController();
  const stop = timer(() => ctrl.abort(), o.timeout);
  const url = `${edge.url}${o.path}${o.path.includes('?') ? '&' : '?'}cdn-probe=${Date.now().toString(36)}w`;
  return fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: ctrl.signal })
    .then(
      () => ({ ok: true, ms: Math.round(performance.now() - t0) }),
      () => ({ ok: false, ms: o.timeout }),
    )
    .finally(stop);
}
