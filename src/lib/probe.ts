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

/** Edges whose fetch probe failed in CORS mode but worked without it: they do not send CORS headers. */
const opaque = new Set<string>();
let counter = 0;

/** The probe URL of an edge, with a cache-busting query. */
export const probeUrl = (edge: Source, path: string): string =>
  `${edge.url}${path}${path.includes('?') ? '&' : '?'}cdn-probe=${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Resource Timing measures the request itself, without the time the main thread took to notice. */
function timed(url: string, fallback: number): number {
  try {
    const entries = performance.getEntriesByName(url);
    const e = entries[entries.length - 1] as PerformanceResourceTiming | undefined;
    if (e && e.responseEnd > 0) {
      // Without Timing-Allow-Origin requestStart is 0; duration still spans the request.
      const ms = e.requestStart > 0 ? e.responseEnd - e.requestStart : e.duration;
      if (ms > 0 && ms <= fallback + 1) return Math.round(ms);
    }
  } catch {
    // No Resource Timing: the stopwatch is what we have.
  }
  return Math.round(fallback);
}

function pingImage(url: string, timeout: number): Promise<boolean> {
  return new Promise((resolve) => {
    const img = new Image();
    const end = (ok: boolean) => {
      clearTimeout(timer);
      img.onload = img.onerror = null;
      // A hanging request is never reported by Chromium; dropping the src cancels it.
      if (!ok) img.src = '';
      resolve(ok);
    };
    const timer = setTimeout(() => end(false), timeout);
    img.onload = () => end(true);
    img.onerror = () => end(false);
    (img as HTMLImageElement & { fetchPriority?: string }).fetchPriority = 'low';
    img.src = url;
  });
}

async function pingFetch(edge: Source, url: string, timeout: number): Promise<boolean> {
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      ctrl.abort();
      resolve(false);
    }, timeout);
  });
  const attempt = async (): Promise<boolean> => {
    if (!opaque.has(edge.id)) {
      try {
        const res = await fetch(url, { mode: 'cors', cache: 'no-store', credentials: 'omit', signal: ctrl.signal });
        return res.ok;
      } catch {
        if (ctrl.signal.aborted) return false;
      }
    }
    // CORS refused, or a network error, which looks the same: an opaque answer still proves the edge is alive.
    const res = await fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', signal: ctrl.signal });
    if (res.type === 'opaque') opaque.add(edge.id);
    return res.type === 'opaque' || res.ok;
  };
  try {
    return await Promise.race([attempt().catch(() => false), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pings one edge once: an image or a fetch of the probe path. Fails on an error, or when no answer
 * came within `timeout` ms — a host that accepts a connection and never answers fires no event at all.
 */
export async function ping(edge: Source, opts: PingOptions): Promise<PingResult> {
  const url = probeUrl(edge, opts.path);
  const t0 = performance.now();
  const ok = await (opts.type === 'fetch' ? pingFetch(edge, url, opts.timeout) : pingImage(url, opts.timeout));
  const elapsed = performance.now() - t0;
  return { ok, ms: ok ? timed(url, elapsed) : Math.round(elapsed) };
}
