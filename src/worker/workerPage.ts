import type { Manifest } from '../types.js';
import type { Health } from '../health/health.js';
import { hash01 } from '../chain/select.js';

const STOPPED = 'cdn-loader:sw-stopped';

/** The version of a manifest's JSON text, as the page puts it in the worker's URL. */
export const version = (text: string) => hash01(text).toString(36).slice(2, 10);

/**
 * The page half of cdn-loader-sw.js, run when the loader imports the file (see serviceWorker.ts):
 * registers the worker (scope "/"), hands it the manifest, and shares edge health both ways. The page's
 * pings and failures (`cdn:probe`, `cdn:edge`) go to the worker; the worker's failures and pings come
 * back into the page's health. The script URL carries a hash of the manifest, so an edited manifest
 * installs the worker afresh: its Static Routing rules, fixed at install, follow the manifest.
 */
/** The manifest version (hash) the worker last stepped down for, kept in localStorage; `set` records one. */
function stopped(set?: string): string | null | undefined {
  try {
    if (set) localStorage.setItem(STOPPED, set);
    return localStorage.getItem(STOPPED);
  } catch {
    return undefined;
  }
}

export function startPage(): void {
  document.addEventListener('cdn:sw', (e) => {
    const [raw, health, spec] = (e as CustomEvent).detail as [Manifest, Health, unknown];
    const sw = navigator.serviceWorker;
    if (!sw || !raw.serviceWorker) return;
    let w = sw.controller;
    const send = (m: unknown) => {
      try {
        w?.postMessage(m);
      } catch {
        // A worker that went redundant meanwhile: the next one gets the manifest on controllerchange.
      }
    };
    // The page's health so far goes along: pings that ended before this file was imported count too.
    const hello = () => send({ manifest: raw, src: spec, edges: health.list() });
    const v = version(JSON.stringify(raw));
    // The worker stepped down for this very manifest (withdrawn, or not valid where the loader's copy
    // is older): registering it again would only have it step down again.
    if (stopped() === v) return;
    // The worker in control is this manifest's already (the browser checks its script for updates itself).
    if (!w?.scriptURL.endsWith('?v=' + v))
      sw.register(`${raw.serviceWorker}?v=${v}`, { scope: '/', updateViaCache: 'none' }).then(
        (r) => {
          w = r.installing || r.waiting || r.active;
          hello();
        },
        (err) => console.warn(`cdn-loader: could not register the service worker ${raw.serviceWorker} (serve it from this origin, scope "/": docs/service-worker.md)`, err),
      );
    sw.addEventListener('controllerchange', () => {
      w = sw.controller;
      hello();
    });
    sw.addEventListener('message', (m) => {
      const d = m.data?.cdnLoader;
      if (typeof d?.id === 'string') d.ok ? health.ping(d.id, true, d.ms) : health.fail(d.id);
      if (typeof d?.stop === 'string') stopped(d.stop);
    });
    for (const type of ['cdn:probe', 'cdn:edge']) document.addEventListener(type, (ev) => send((ev as CustomEvent).detail));
  });
}
