// The live demo: an origin and three edges on loopback ports, all serving the same images, and a
// page on the origin that loads them through the built dist/cdn-loader.js. The page's controls
// break and heal the edges through POST /control on the origin. `npm run demo` runs main() below.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type TestServer } from '../e2e/servers.js';
import { tile, type Rgb } from './tiles.js';
import { workerDemo } from './workerDemo.js';

/** What an edge is told to do; `healthy` undoes every other state. */
export type EdgeState = 'healthy' | 'down' | 'hang' | 'slow' | 'broken' | 'corrupt';
export const STATES: readonly EdgeState[] = ['healthy', 'down', 'hang', 'slow', 'broken', 'corrupt'];

/** Images on the demo page (tile-0.png … tile-23.png). */
export const TILES = 24;
/** Default extra delay of a slow edge, ms. */
const SLOW_MS = 300;

/** The servers as the page shows them; keep the colours in step with demo.css. */
const SOURCES: { id: string; letter: string; colour: Rgb; striped?: boolean }[] = [
  { id: 'origin', letter: 'O', colour: [100, 108, 122], striped: true },
  { id: 'edge-a', letter: 'A', colour: [232, 125, 30] },
  { id: 'edge-b', letter: 'B', colour: [20, 158, 130] },
  { id: 'edge-c', letter: 'C', colour: [132, 72, 200] },
];

export interface DemoEdge {
  id: string;
  /** `http://edge-a.localhost:PORT`: Chromium and Firefox resolve *.localhost to loopback by themselves. */
  url: string;
  server: TestServer;
  state: EdgeState;
  delay: number;
}

export interface Demo {
  /** The page: `http://localhost:PORT/`. */
  url: string;
  port: number;
  edges: DemoEdge[];
  /** Puts an edge into a state, as the page's buttons do. */
  set(edge: string, state: EdgeState, delay?: number): Promise<void>;
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Port of the origin (the page); 0 or absent picks a free one. Edges always take free ports. */
  port?: number;
}

/** The folder that holds package.json, demo/ and dist/, wherever this file was bundled to. */
function root(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'demo', 'index.html'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cdn-loader demo: cannot find the project folder (with demo/index.html) above ' + fileURLToPath(import.meta.url));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.json': 'application/json',
};
const typeOf = (path: string) => TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';

const tiles = (id: string) => {
  const s = SOURCES.find((x) => x.id === id)!;
  return Array.from({ length: TILES }, (_, i) => tile(s.colour, s.letter, i, { striped: s.striped }));
};

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the origin and three edges; resolves once all listen. */
export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  const dir = root();
  const dist = join(dir, 'dist');
  if (!existsSync(join(dist, 'cdn-loader.js'))) throw new Error('cdn-loader demo: dist/cdn-loader.js is missing: run `npm run build` first');

  const edges: DemoEdge[] = [];
  for (const s of SOURCES.slice(1)) {
    const server = await startServer({ name: s.id, colour: s.colour });
    const edge: DemoEdge = { id: s.id, url: `http://${s.id}.localhost:${server.port}`, server, state: 'healthy', delay: 0 };
    serveTiles(edge, false);
    edges.push(edge);
  }
  // The service worker's page, /worker.html (demo/workerDemo.ts).
  const worker = workerDemo(dir, dist, edges);
  const originTiles = tiles('origin');
  let originImages = 0;

  const find = (id: string) => edges.find((e) => e.id === id || e.id === 'edge-' + id);
  // One change at a time per edge: closing and reopening a port must not interleave.
  const queue = new Map<string, Promise<void>>();
  const set = (id: string, state: EdgeState, delay = SLOW_MS): Promise<void> => {
    const edge = find(id);
    if (!edge) return Promise.reject(new Error(`no edge ${JSON.stringify(id)}`));
    const next = (queue.get(edge.id) ?? Promise.resolve()).then(() => apply(edge, state, delay));
    queue.set(edge.id, next.catch(() => {}));
    return next;
  };

  const state = () => ({
    edges: edges.map((e) => ({
      id: e.id,
      url: e.url,
      state: e.state,
      delay: e.delay,
      // What it answered, not what it was asked: a hanging edge holds requests and serves nothing.
      images: e.server.log.filter((h) => h.path.startsWith('/images/') && h.status === 200).length,
      unanswered: e.server.log.filter((h) => h.path.startsWith('/images/') && h.status === undefined).length,
      probes: e.server.log.filter((h) => h.path.includes('cdn-probe=') && h.status !== undefined).length,
    })),
    origin: { images: originImages },
  });

  const origin = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const send = (status: number, body: string | Buffer, type: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, body: unknown) => send(status, JSON.stringify(body), 'application/json');

    if (path === '/control') {
      if (req.method === 'GET') return json(200, state());
      if (req.method !== 'POST') return json(405, { error: 'use GET or POST' });
      // Only the demo page itself may break the edges, not any other site open in the browser.
      const from = req.headers.origin;
      if (from && !isOwn(from, port)) return json(403, { error: `requests from ${from} are not allowed` });
      const edge = url.searchParams.get('edge') ?? '';
      const want = (url.searchParams.get('state') ?? '') as EdgeState;
      const delay = Number(url.searchParams.get('delay') ?? SLOW_MS);
      if (!find(edge)) return json(400, { error: `edge must be one of ${edges.map((e) => e.id).join(', ')}` });
      if (!STATES.includes(want)) return json(400, { error: `state must be one of ${STATES.join(', ')}` });
      if (!(delay >= 0 && delay <= 60000)) return json(400, { error: 'delay must be 0–60000 ms' });
      set(edge, want, delay).then(
        () => json(200, state()),
        (e: Error) => json(500, { error: e.message }),
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed', 'text/plain');
    if (path === '/' || path === '/index.html') {
      const page = readFileSync(join(dir, 'demo', 'index.html'), 'utf8').replace('__MANIFEST__', () => manifestJson(edges));
      return send(200, page, TYPES['.html'], { 'Content-Security-Policy': csp(edges), 'Referrer-Policy': 'no-referrer' });
    }
    if (path === '/demo.js' || path === '/demo.css') return send(200, readFileSync(join(dir, 'demo', path.slice(1))), typeOf(path));
    if (/^\/cdn-loader\.(m?js)(\.map)?$/.test(path)) return send(200, readFileSync(join(dist, path.slice(1))), typeOf(path));
    const m = /^\/images\/tile-(\d+)\.png$/.exec(path);
    if (m && Number(m[1]) < TILES) {
      originImages++;
      return send(200, originTiles[Number(m[1])], 'image/png');
    }
    if (path === '/favicon.ico' || path === '/favicon.png') return send(200, originTiles[0], 'image/png');
    const w = worker(path);
    if (w) return void w.then((a) => (a ? send(200, a.body, a.type) : send(404, 'not found', 'text/plain')), (e: Error) => send(500, e.message, 'text/plain'));
    return send(404, 'not found', 'text/plain');
  });
  const sockets = new Set<import('node:net').Socket>();
  origin.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(origin, opts.port ?? 0);

  return {
    url: `http://localhost:${port}/`,
    port,
    edges,
    set,
    async close() {
      await Promise.all([
        new Promise<void>((done) => {
          origin.close(() => done());
          for (const s of sockets) s.destroy();
        }),
        ...edges.map((e) => e.server.close()),
      ]);
    },
  };
}

/** Serves the edge's tiles, or (corrupt) bytes that are no image at all at the same paths. */
function serveTiles(edge: DemoEdge, corrupt: boolean): void {
  const good = corrupt ? [] : tiles(edge.id);
  for (let i = 0; i < TILES; i++) edge.server.file(`/images/tile-${i}.png`, corrupt ? `not a PNG (${edge.id} is corrupt)` : good[i], 'image/png');
}

async function apply(edge: DemoEdge, state: EdgeState, delay: number): Promise<void> {
  const knobs = {
    healthy: { fault: 'ok', delay: 0 },
    down: { fault: 'refuse' },
    hang: { fault: 'blackhole' },
    slow: { fault: 'slow', delay },
    broken: { fault: 'status', status: 500 },
    corrupt: { fault: 'ok', delay: 0 },
  } as const;
  await edge.server.set(knobs[state]);
  serveTiles(edge, state === 'corrupt');
  edge.state = state;
  edge.delay = state === 'slow' ? delay : 0;
}

function isOwn(origin: string, port: number): boolean {
  try {
    const u = new URL(origin);
    return ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) && u.port === String(port);
  } catch {
    return false;
  }
}

/** The manifest, inlined in the page (fresh ports on every start, so nothing stale is cached). */
function manifestJson(edges: DemoEdge[]): string {
  const manifest = {
    mode: 'round-robin',
    edges: edges.map((e) => ({ id: e.id, url: e.url })),
    assets: ['/images/'],
    // Short rounds so a change shows within seconds.
    probe: { timeout: 1000, interval: 2000 },
    failover: { timeout: 'auto', retries: 1 },
    debug: true,
  };
  // `<` escaped: the JSON sits inside a <script> element.
  return JSON.stringify(manifest, null, 2).replace(/</g, '\\u003c');
}

/** Only the page's own scripts and styles; images from the origin and the edges; nothing inline. */
function csp(edges: DemoEdge[]): string {
  const hosts = edges.map((e) => e.url).join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' ${hosts}`,
    `connect-src 'self' ${hosts}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

/** `npm run demo [-- --port N]`: starts the demo, prints its URL and runs until Ctrl-C. */
async function main(): Promise<void> {
  const arg = process.argv.indexOf('--port');
  const wanted = Number(arg > 0 ? process.argv[arg + 1] : process.env.PORT ?? 8080);
  let demo: Demo;
  try {
    demo = await startDemo({ port: wanted });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    console.log(`port ${wanted} is taken; using a free one`);
    demo = await startDemo();
  }
  const pad = (s: string) => s.padEnd(8);
  console.log(
    [
      '',
      'cdn-loader demo',
      '',
      `  open    ${demo.url}`,
      '',
      `  ${pad('origin')}http://localhost:${demo.port}`,
      ...demo.edges.map((e) => `  ${pad(e.id)}${e.url}`),
      '',
      'Break and heal the edges with the buttons on the page. The demo keeps running until Ctrl-C.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    void demo.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
