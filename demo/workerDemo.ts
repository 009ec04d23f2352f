// The service worker's part of the demo (/worker.html): a Vite-built app whose code-split chunk,
// lazy stylesheet, web font and CSS background load through dist/cdn-loader-sw.js. Break the edge
// that served the page, press the button, and they arrive from the next source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildViteApp } from '../e2e/workerApp.js';
import type { TestServer } from '../e2e/servers.js';

/** An answer of the origin for one of the worker demo's paths. */
export interface Answer {
  body: string | Buffer;
  type: string;
}

/**
 * The origin's handler for the worker demo's paths: undefined for any other path, else a promise of
 * the answer (undefined: not found). The app is built on the first request for one of them, so the
 * image demo never waits for Vite.
 */
export function workerDemo(dir: string, dist: string, edges: { id: string; url: string; server: TestServer }[]): (path: string) => Promise<Answer | undefined> | undefined {
  let built: Promise<(path: string) => Answer | undefined> | undefined;
  return (path) => {
    if (!/^\/(worker\.html|worker\.js|worker-manifest\.json|worker-served|cdn-loader-sw\.js|assets\/.*)$/.test(path)) return undefined;
    built ??= build(dir, dist, edges);
    return built.then((answer) => answer(path));
  };
}

/** Builds the app, puts its files on every edge, and returns the answers for the demo's paths. */
async function build(dir: string, dist: string, edges: { id: string; url: string; server: TestServer }[]): Promise<(path: string) => Answer | undefined> {
  const app = await buildViteApp();
  const files = new Map(app.filter((f) => f.path !== '/index.html').map((f) => [f.path, f]));
  for (const e of edges) for (const f of files.values()) e.server.file(f.path, f.body, f.type);
  /** Which source served each built file, with a 200, and how often (the origin counts its own). */
  const origin = new Map<string, number>();
  const manifest = JSON.stringify({
    mode: 'always',
    edges: edges.map((e) => ({ id: e.id, url: e.url })),
    assets: ['/assets/'],
    serviceWorker: '/cdn-loader-sw.js',
    probe: { timeout: 1000, interval: 5000 },
    failover: { timeout: 'auto', retries: 1 },
  });
  const page = app
    .find((f) => f.path === '/index.html')!
    .body.toString()
    .replace('/cdn-manifest.json', '/worker-manifest.json')
    .replace('<title>vite app</title>', '<title>cdn-loader — service worker demo</title>\n<link rel="stylesheet" href="/demo.css">')
    .replace('</body>', `${readFileSync(join(dir, 'demo', 'worker.html'), 'utf8')}\n</body>`);
  return (path) => {
    if (path === '/worker.html') return { body: page, type: 'text/html; charset=utf-8' };
    if (path === '/worker.js') return { body: readFileSync(join(dir, 'demo', 'worker.js')), type: 'text/javascript; charset=utf-8' };
    if (path === '/worker-manifest.json') return { body: manifest, type: 'application/json' };
    if (path === '/cdn-loader-sw.js') return { body: readFileSync(join(dist, 'cdn-loader-sw.js')), type: 'text/javascript; charset=utf-8' };
    if (path === '/worker-served') {
      const served = [...files.keys()].map((p) => ({
        path: p,
        from: [
          ...(origin.get(p) ? ['origin'] : []),
          ...edges.filter((e) => e.server.log.some((h) => h.path === p && h.status === 200)).map((e) => e.id),
        ],
      }));
      return { body: JSON.stringify(served), type: 'application/json' };
    }
    const f = files.get(path);
    if (!f) return undefined;
    origin.set(path, (origin.get(path) ?? 0) + 1);
    return { body: f.body, type: f.type };
  };
}
