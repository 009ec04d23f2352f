/**
 * dist/cdn-loader-sw.js: the service worker, and in a page the small part that registers it (the
 * loader imports this same file on pages whose manifest names it, so a site serves one file).
 */
import { startWorker, type WorkerScope } from './worker/worker.js';
import { startPage } from './worker/workerPage.js';

if (typeof document === 'object') startPage();
else startWorker(self as unknown as WorkerScope);
