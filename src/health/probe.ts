import type { Source } from '../manifest/manifest.js';
import { idle, listen, timer } from '../chain/chain.js';
import { RECHECK } from '../chain/race.js';

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

/** Edges whose fetch probe failed in CORS mode but answered without it: they send no CORS headers. */
const opaque = new Set<string>();
let n = 0;

/**
 * Pings one edge once: an image or a fetch of the probe path with a cache-busting query. Fails on an
 * error or when no answer came within `timeout` ms: a host that accepts a connection and never
 * answers fires no event at all. Timed with performance.now(), refined with Resource Timing.
 */
export function ping(edge: Source, o: PingOptions): Promise<PingResult> {
  // An image request holds the page's load event until it ends, and WebKitGTK 2.50 (Safari's
  // engine) keeps holding it once its src is removed: a probe of a host that never answers kept the
  // page loading for good. Image probes wait for the load event, so they hold it in no engine
  // (Chromium 156 and Firefox ESR 153 held it for the probe's timeout). Fetches never hold it.
  if (o.type === 'image' && document.readyState !== 'complete')
    return new Promise((r) => addEventListener('load', () => r(ping(edge, o)), { once: true }));
  const url = `${edge.url}${o.path}${o.path.includes('?') ? '&' : '?'}cdn-probe=${Date.now().toString(36)}${n++}`;
  const t0 = performance.now();
  return new Promise<boolean>((resolve) => {
    const ctrl = new AbortController();
    let img: HTMLImageElement | undefined;
    const end = (ok: boolean) => {
      stop();
      // Dropping the request frees the connection a hanging host holds.
      if (!ok) {
        ctrl.abort();
        img?.removeAttribute('src');
      }
      resolve(ok);
    };
    // A timeout is decided once the page was idle and then had RECHECK ms more: after a long task an
    // answer that arrived meanwhile still waits behind this timer (Chromium runs due timers first) or
    // behind an idle callback (Firefox ESR 153). A busy phone's answer is not its edge's hang.
    const stop = timer(() => idle(() => timer(() => end(false), RECHECK)), o.timeout);
    if (o.type === 'image') {
      img = new Image();
      listen(img, end);
      img.src = url;
      return;
    }
    const get = (mode: RequestMode) => fetch(url, { mode, cache: 'no-store', credentials: 'omit', signal: ctrl.signal });
    // Chromium records a fetch in Resource Timing only once its body has been read.
    (opaque.has(edge.id) ? Promise.reject() : get('cors').then((r) => r.ok && r.arrayBuffer().then(() => true)))
      .catch(() =>
        // A refused CORS request and a network error look alike: an opaque answer proves the edge is alive.
        ctrl.signal.aborted
          ? false
          : get('no-cors').then((r) => {
              if (r.type === 'opaque') opaque.add(edge.id);
              return r.type === 'opaque' || r.ok;
            }),
      )
      .then(end, () => end(false));
  }).then((ok) => {
    let ms = performance.now() - t0;
    // Resource Timing is in every browser the loader supports (deadline.ts reads it too).
    const e = performance.getEntriesByName(url).pop() as PerformanceResourceTiming | undefined;
    // Without Timing-Allow-Origin requestStart is 0, but the duration still spans the request.
    const rt = e && (e.requestStart > 0 ? e.responseEnd - e.requestStart : e.duration);
    if (ok && rt && rt > 0 && rt <= ms) ms = rt;
    return { ok, ms: Math.round(ms) };
  });
}
