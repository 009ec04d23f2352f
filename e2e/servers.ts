// Real HTTP servers on loopback ports for the browser tests (and the demo and benchmark): an origin
// and edges serving the same assets, each with knobs for every fault a real edge shows, and a log
// of the requests it received so tests assert on what really travelled.
import http from 'node:http';
import http2 from 'node:http2';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileFor } from './byCookie.js';

/** What a server does with a request. */
export type Fault =
  | 'ok'
  /** The port is closed: connections are refused. */
  | 'refuse'
  /** Accepts the connection and never answers. */
  | 'blackhole'
  /** Answers after `delay` ms. */
  | 'slow'
  /** Answers `status` (404, 500, …) with an HTML body. */
  | 'status'
  /** Answers 200 with the wrong bytes (not an image, a different script). */
  | 'corrupt'
  /** Alternates between answering and 503 every `period` ms. */
  | 'flap';

export interface Knobs {
  fault: Fault;
  delay: number;
  status: number;
  period: number;
}

export interface Hit {
  path: string;
  time: number;
  /** The status answered, once the answer was sent in full (absent while pending or when the connection closed first). */
  status?: number;
  /** The answer carried the wrong bytes (fault 'corrupt'). */
  corrupt?: boolean;
  /** When the answer was sent or the connection closed; absent while the request is still pending. */
  end?: number;
  /** The request's Sec-Fetch-Dest and Sec-Fetch-Mode (what kind of request the browser made). */
  dest?: string;
  mode?: string;
  /** The request's Referer: a stylesheet's own url() requests name the stylesheet. */
  referer?: string;
}

/** Answers that carried wrong bytes, so their log entry can say so. */
const corrupted = new WeakSet<http.ServerResponse>();

// Beside this file in the repository; from the working folder when bundled elsewhere (demo, bench).
const besideUs = fileURLToPath(new URL('../dist/', import.meta.url));
const DIST = existsSync(besideUs + 'cdn-loader.js') ? besideUs : join(process.cwd(), 'dist') + '/';

/** A 1×1 PNG in the given colour (so a person can tell sources apart in the demo). */
export function png(r: number, g: number, b: number, size = 1): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  // Stored (uncompressed) deflate blocks keep this dependency-free.
  const blocks: Buffer[] = [];
  for (let i = 0; i < raw.length || i === 0; i += 65535) {
    const part = raw.subarray(i, i + 65535);
    const head = Buffer.alloc(5);
    head[0] = i + 65535 >= raw.length ? 1 : 0;
    head.writeUInt16LE(part.length, 1);
    head.writeUInt16LE(~part.length & 0xffff, 3);
    blocks.push(head, part);
  }
  let a = 1;
  let b2 = 0;
  for (const byte of raw) {
    a = (a + byte) % 65521;
    b2 = (b2 + a) % 65521;
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b2 << 16) | a) >>> 0);
  const idat = Buffer.concat([Buffer.from([0x78, 0x01]), ...blocks, adler]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** A short silent WAV: media that Chromium plays without codecs. */
function wav(): Buffer {
  const samples = 800;
  const b = Buffer.alloc(44 + samples);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(8000, 28);
  b.writeUInt16LE(1, 32);
  b.writeUInt16LE(8, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples, 40);
  b.fill(128, 44);
  return b;
}

/** The script every server serves at /js/NAME.js: it records that it ran, in order. */
export const scriptBody = (name: string) => `(window.__ran=window.__ran||[]).push(${JSON.stringify(name)});\n`;
/** The stylesheet at /css/NAME.css sets a custom property named after it. */
export const styleBody = (name: string) => `html{--${name.replace(/[^\w-]/g, '')}:1}\n`;
/** The SRI hash of a body, as the manifest's `integrity` wants it. */
export const sri = (body: string | Buffer) => 'sha384-' + createHash('sha384').update(body).digest('base64');

/** The asset every server answers for `path`, or undefined. */
export function asset(path: string, colour: [number, number, number] = [40, 120, 200]): { type: string; body: Buffer } | undefined {
  const p = path.replace(/[?#].*$/, '');
  const name = p.split('/').pop() ?? '';
  if (p === '/cdn-probe.gif' || p.endsWith('.gif')) return { type: 'image/gif', body: GIF };
  if (/\.(png|webp|jpg)$/.test(p)) return { type: 'image/png', body: png(...colour) };
  if (p.endsWith('.js')) return { type: 'text/javascript', body: Buffer.from(scriptBody(name.replace(/\.js$/, ''))) };
  if (p.endsWith('.css')) return { type: 'text/css', body: Buffer.from(styleBody(name.replace(/\.css$/, ''))) };
  if (p.endsWith('.wav') || p.endsWith('.mp4')) return { type: 'audio/wav', body: wav() };
  return undefined;
}

export interface TestServer {
  readonly name: string;
  readonly port: number;
  /** `http://HOST:PORT`, HOST being `host` of its options (default 127.0.0.1). */
  readonly url: string;
  readonly log: Hit[];
  /** Changes the fault for every request, or only for paths that start with `prefix`. */
  set(knobs: Partial<Knobs>, prefix?: string): Promise<void>;
  /** Serves a page or any other file (only the origin needs these); at `path#name=value`, to requests with that cookie. */
  file(path: string, body: string | Buffer, type?: string, headers?: Record<string, string>): void;
  /** Requests received, probes left out unless asked for. */
  hits(filter?: (path: string) => boolean): string[];
  probes(): string[];
  /** Resolves once a request matching `filter` arrived, or rejects after `ms`. */
  waitFor(filter: (path: string) => boolean, ms?: number): Promise<void>;
  /** Requests received whose answer has neither been sent nor abandoned yet (held or delayed ones). */
  inflight(filter?: (path: string) => boolean): number;
  close(): Promise<void>;
}

export interface ServerOptions {
  name: string;
  port?: number;
  colour?: [number, number, number];
  /** Serve dist/ at /cdn-loader.js etc. (the origin). */
  dist?: boolean;
  /** Extra headers on every answer. */
  headers?: Record<string, string>;
  /**
   * The host name in `url` (the server always listens on 127.0.0.1). Give each server of a page its
   * own `*.localhost` name: WebKit queues image loads per host name, ignoring the port, so servers
   * that share a name block each other there (six hung images on one starve all the others).
   */
  host?: string;
  /** Serve HTTP/2 over TLS (HTTP/1.1 too, for clients that do not offer h2) with this certificate. */
  tls?: { key: Buffer; cert: Buffer };
}

let cert: { key: Buffer; cert: Buffer } | undefined;
/** A self-signed certificate for 127.0.0.1, made once per process with `openssl req -x509`. */
export function selfSigned(): { key: Buffer; cert: Buffer } {
  if (cert) return cert;
  const dir = mkdtempSync(join(tmpdir(), 'cdn-loader-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  return (cert = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
}

/** Starts one server on a free loopback port. */
export async function startServer(opts: ServerOptions): Promise<TestServer> {
  const log: Hit[] = [];
  const files = new Map<string, { body: Buffer; type: string; headers: Record<string, string> }>();
  const rules: { prefix: string; knobs: Knobs }[] = [];
  const base: Knobs = { fault: 'ok', delay: 0, status: 500, period: 1000 };
  const sockets = new Set<Socket>();
  const held = new Set<http.ServerResponse>();
  const waiters = new Set<{ filter: (p: string) => boolean; done: () => void }>();
  let listening = false;

  const knobsFor = (path: string) => rules.find((r) => path.startsWith(r.prefix))?.knobs ?? base;

  const answer = (req: http.IncomingMessage, res: http.ServerResponse, path: string, k: Knobs) => {
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': '*',
      'Timing-Allow-Origin': '*',
      'Cache-Control': 'no-store',
      ...opts.headers,
    };
    const pathname = path.replace(/[?#].*$/, '');
    if (k.fault === 'status') {
      res.writeHead(k.status, { ...headers, 'Content-Type': 'text/html' });
      res.end(`<!doctype html><h1>${k.status}</h1>`);
      return;
    }
    const f = fileFor(files, pathname, req.headers.cookie);
    if (f) {
      res.writeHead(200, { ...headers, 'Content-Type': f.type, ...f.headers });
      res.end(f.body);
      return;
    }
    if (opts.dist && /^\/cdn-loader(-boot|-runtime)?\.(m?js|js\.map|mjs\.map)$/.test(pathname)) {
      res.writeHead(200, { ...headers, 'Content-Type': pathname.endsWith('.map') ? 'application/json' : 'text/javascript' });
      res.end(readFileSync(DIST + pathname.slice(1)));
      return;
    }
    const a = asset(pathname, opts.colour);
    if (!a) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/html' });
      res.end('<!doctype html><h1>404</h1>');
      return;
    }
    if (k.fault === 'corrupt') {
      const wrong = a.type.startsWith('text/') ? `${a.body}\n/* corrupted */ window.__corrupt=(window.__corrupt||0)+1;` : 'not the right bytes';
      corrupted.add(res);
      res.writeHead(200, { ...headers, 'Content-Type': a.type });
      res.end(wrong);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': a.type });
    res.end(req.method === 'HEAD' ? undefined : a.body);
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = req.url ?? '/';
    const hit: Hit = { path, time: Date.now(), dest: req.headers['sec-fetch-dest'] as string, mode: req.headers['sec-fetch-mode'] as string, referer: req.headers.referer };
    log.push(hit);
    res.on('finish', () => {
      hit.status = res.statusCode;
      if (corrupted.has(res)) hit.corrupt = true;
      hit.end ??= Date.now();
    });
    res.on('close', () => {
      hit.end ??= Date.now();
    });
    for (const w of [...waiters]) if (w.filter(path)) w.done();
    const k = knobsFor(path);
    if (k.fault === 'blackhole') {
      // Hold the socket: no answer, no close, as a hung host does.
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    // A flapping edge answers 503 half the time. (Resetting the socket instead would make Chromium
    // retry the request by itself on a reused connection, which a test cannot tell from ours.)
    if (k.fault === 'flap' && Math.floor(Date.now() / k.period) % 2 === 1) {
      answer(req, res, path, { ...k, fault: 'status', status: 503 });
      return;
    }
    if (k.fault === 'slow' && k.delay > 0) {
      const t = setTimeout(() => answer(req, res, path, k), k.delay);
      res.on('close', () => clearTimeout(t));
      return;
    }
    answer(req, res, path, k);
  };
  // The HTTP/2 compatibility API has the same request and response methods as HTTP/1.1.
  const server = opts.tls ? http2.createSecureServer({ ...opts.tls, allowHTTP1: true }, handler as never) : http.createServer(handler);
  if (server instanceof http.Server) server.keepAliveTimeout = 2000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        listening = true;
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  const port = await listen(opts.port ?? 0);
  const url = `${opts.tls ? 'https' : 'http'}://${opts.host ?? '127.0.0.1'}:${port}`;

  return {
    name: opts.name,
    port,
    url,
    log,
    async set(knobs, prefix) {
      if (prefix !== undefined) {
        const i = rules.findIndex((r) => r.prefix === prefix);
        const k = { ...base, ...(i >= 0 ? rules[i].knobs : {}), ...knobs };
        if (i >= 0) rules[i].knobs = k;
        else rules.push({ prefix, knobs: k });
        return;
      }
      Object.assign(base, knobs);
      rules.length = 0;
      if (base.fault === 'refuse') await stop();
      else if (!listening) await listen(port);
      // Leaving blackhole ends the connections it held, as a restarted server would.
      // (Over HTTP/2 only the held stream ends: its connection carries every other request too.)
      if (base.fault !== 'blackhole')
        for (const r of held) {
          const stream = (r as unknown as { stream?: http2.ServerHttp2Stream }).stream;
          if (stream) stream.close();
          else r.socket?.destroy();
        }
    },
    file(path, body, type = 'text/html; charset=utf-8', headers = {}) {
      files.set(path, { body: Buffer.from(body), type, headers });
    },
    hits(filter) {
      return log.map((h) => h.path).filter((p) => !p.includes('cdn-probe=') && p !== '/favicon.ico' && (!filter || filter(p)));
    },
    probes() {
      return log.map((h) => h.path).filter((p) => p.includes('cdn-probe='));
    },
    waitFor(filter, ms = 10000) {
      if (log.some((h) => filter(h.path))) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const w = {
          filter,
          done: () => {
            clearTimeout(t);
            waiters.delete(w);
            resolve();
          },
        };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`${opts.name}: no matching request within ${ms} ms; got ${JSON.stringify(log.map((h) => h.path))}`));
        }, ms);
        waiters.add(w);
      });
    },
    inflight(filter) {
      return log.filter((h) => h.end === undefined && (!filter || filter(h.path))).length;
    },
    close: stop,
  };
}
