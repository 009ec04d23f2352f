import type { Config } from '../manifest/manifest.js';
import type { Health } from '../health/health.js';
/**
 * The loader's hook for cdn-loader-sw.js. A manifest that names the worker (`serviceWorker`) has the
 * page import that same file, whose page half registers it, hands it the manifest and shares edge
 * health with it (src/worker/workerPage.ts); pages whose manifest does not name it pay nothing but this.
 * A worker that controls the page is told the manifest in any case, so that one the manifest no
 * longer names steps down.
 */
export declare function serviceWorker(raw: unknown, cfg: Config, health: Health, spec: unknown): void;
