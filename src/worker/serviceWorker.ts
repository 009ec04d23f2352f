import type { Config } from '../manifest/manifest.js';
import type { Health } from '../health/health.js';
import { emit } from '../api/events.js';

/**
 * The loader's hook for cdn-loader-sw.js. A manifest that names the worker (`serviceWorker`) has the
 * page import that same file, whose page half registers it, hands it the manifest and shares edge
 * health with it (src/worker/workerPage.ts); pages whose manifest does not name it pay nothing but this.
 * A worker that controls the page is told the manifest in any case, so that one the manifest no
 * longer names steps down.
 */
export function serviceWorker(raw: unknown, cfg: Config, health: Health, spec: unknown): void {
  try {
    // With the manifest's URL, so a worker revalidates the manifest this page uses, not one it stored before.
    navigator.serviceWorker?.controller?.postMessage({ manifest: raw, src: spec });
    if (cfg.worker) import(location.origin + cfg.worker).then(() => emit('cdn:sw' as 'cdn:ready', [raw, health, spec] as never), () => 0);
  } catch {
    // No service workers here, or a manifest object that cannot be posted: the page works as without one.
  }
}
