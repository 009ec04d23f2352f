import type { Manifest } from '../types.js';
import type { Health } from './health.js';
import { hash01 } from './select.js';

/**
 * The page half of cdn-loader-sw.js, run when the loader imports the file (see serviceWorker.ts):
 * registers the worker (scope "/"), hands it the manifest, and shares edge health both ways. The page's
 * pings and failures (`cdn:probe`, `cdn:edge`) go to the worker; the worker's failures and pings come
 * back into the page's health. The script URL carries a hash of the manifest, so an edited manifest
 * installs the worker afresh: its Static Routing rules, fixed at install, follow the manifest.
 */
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
    const hello = () => send({ manifest: raw, src: spec });
    sw.register(`${raw.serviceWorker}?v=${hash01(JSON.stringify(raw)).toString(36).slice(2, 10)}`, { scope: '/', updateViaCache: 'none' }).then(
      (r) => {
        w = r.installing || r.waiting || r.active;
        hello();
      },
      (err) => console.warn(`cdn-loader: the service worker ${raw.serviceWorker} could not be registered (serve it from this origin, scope "/": see docs/service-worker.md)`, err),
    );
    sw.addEventListener('controllerchange', () => {
      w = sw.controller;
      hello();
    });
    sw.addEventListener('message', (m) => {
      const d = m.data?.cdnLoader;
      if (typeof d?.id === 'string') d.ok ? health.ping(d.id, true, d.ms) : health.fail(d.id);
    });
    for (const type of ['cdn:probe', 'cdn:edge']) document.addEventListener(type, (ev) => send((ev as CustomEvent).detail));
  });
}
