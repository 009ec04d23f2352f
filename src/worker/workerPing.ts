import type { Source } from '../manifest/manifest.js';
import type { PingOptions, PingResult } from '../health/probe.js';
import { timer } from '../chain/chain.js';

/**
 * One ping from the service worker (which has no images): a fetch of the probe path with a
 * cache-busting query, within `timeout` ms. In CORS mode a 5xx reads as down (an opaque answer would
 * hide it); an edge that sends no CORS headers is asked again without, and any answer then is alive.
 */
export function workerPing(edge: Source, o: PingOptions): Promise<PingResult> {
  const t0 = performance.now();
  const ctrl = new AbortController();
  const stop = timer(() => ctrl.abort(), o.timeout);
  const url = `${edge.url}${o.path}${o.path.includes('?') ? '&' : '?'}cdn-probe=${Date.now().toString(36)}w`;
  const get = (mode: RequestMode) => fetch(url, { mode, cache: 'no-store', credentials: 'omit', signal: ctrl.signal });
  return get('cors')
    .then(
      (r) => r.ok,
      () => !ctrl.signal.aborted && get('no-cors').then(() => true),
    )
    .then(
      (ok) => ({ ok, ms: ok ? Math.round(performance.now() - t0) : o.timeout }),
      () => ({ ok: false, ms: o.timeout }),
    )
    .finally(stop);
}
