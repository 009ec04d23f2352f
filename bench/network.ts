// An emulated network for the first-visit benchmark (§9), built from plain Node HTTP/1.1 servers on
// loopback. Chromium's own throttling (CDP Network.emulateNetworkConditions) has one latency for the
// whole page, so it cannot tell a far origin from a near edge; here every server adds its own:
//
// - latency: a response starts one round trip (`rtt`) after its request arrived, and a request that
//   opens a connection waits one more (the TCP handshake, which loopback does in microseconds);
// - slow start: a connection sends 10 segments (14,600 B) in its first round trip and doubles its
//   window every round trip after that, kept across keep-alive requests and reset after 1 s idle;
// - one shared downlink: every byte of every server passes one link of `bitsPerSecond`, each segment in
//   the first idle stretch once it is ready, so parallel downloads share the bandwidth as they do on a
//   user's access link.
//
// Bytes are written at the moments the model says they arrive (in 1,460 B segments), so Chromium
// sees the same timing as on a real link, up to the timer granularity of a loaded machine;
// `calibrate()` measures how faithful that is.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileFor } from '../e2e/byCookie.js';

const SEGMENT = 1460;
const INITIAL_WINDOW = 10 * SEGMENT;
const IDLE_RESET_MS = 1000;

/** One segment on the link: what it carried (host name + path), when it arrived (performance.now()), its bytes. */
export interface Segment {
  what: string;
  at: number;
  bytes: number;
}

/**
 * The one downlink all servers share, at `bitsPerSecond`. Servers reserve their segments ahead of time, each
 * ready at its own moment (a far host's one round trip later than a near host's): a segment takes the first
 * idle stretch of the link at or after it is ready, as at a router, where what has arrived goes first. (Until
 * 2026-12-02 it was a FIFO of reservations: a far host's segment reserved for later held every segment
 * reserved after it, near hosts' ready sooner included, and the link stood idle meanwhile. One empty async
 * script from the origin during a 10 Mbit/s page cost 1.06x that way: docs/first-visit.md.)
 */
export class Link {
  /** Busy stretches of the link, [start, end] in ms, sorted and apart; those long past are dropped. */
  private busy: [number, number][] = [];
  /** Every segment since the last reset, in the order it arrives: where a page's time on the link went. */
  trace: Segment[] = [];
  constructor(public bitsPerSecond: number) {}
  /** Reserves `bytes` of `what` that are ready to go at `ready` (ms, performance.now()); returns when they have arrived. */
  reserve(ready: number, bytes: number, what = ''): number {
    const ms = (bytes * 8 * 1000) / this.bitsPerSecond;
    const b = this.busy;
    // (Stretches that ended 10 s before this segment was ready can no longer matter.)
    while (b.length > 1 && b[0][1] < ready - 10000) b.shift();
    let start = ready;
    let i = 0;
    for (; i < b.length; i++) {
      if (b[i][1] <= start) continue;
      if (b[i][0] >= start + ms) break;
      start = b[i][1];
    }
    const end = start + ms;
    b.splice(i, 0, [start, end]);
    // Touching stretches merge, so the list stays short on a full link.
    if (i + 1 < b.length && b[i + 1][0] <= end) b.splice(i, 2, [start, b[i + 1][1]]);
    if (i > 0 && b[i - 1][1] >= start) b.splice(i - 1, 2, [b[i - 1][0], b[i][1]]);
    this.trace.push({ what, at: end, bytes });
    return end;
  }
  reset(): void {
    this.busy = [];
    this.trace = [];
  }
}

interface ConnState {
  cwnd: number;
  /** When the connection's last byte was (logically) sent. */
  lastSent: number;
  requests: number;
}

export type Fault = 'none' | 'refuse' | 'blackhole';

export interface NetFile {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  cache: string;
  etag: string;
}

/** One host: a server with its round-trip time, its fault, its files and a log of what it served. */
export class Host {
  private server!: Server;
  private sockets = new Set<Socket>();
  private conns = new WeakMap<Socket, ConnState>();
  fault: Fault = 'none';
  port = 0;
  /** Requests answered (path), for the run's sanity checks. */
  log: string[] = [];

  constructor(
    readonly name: string,
    readonly rtt: number,
    private link: Link,
    private files: Map<string, NetFile>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => this.answer(req, res));
    this.server.keepAliveTimeout = 60000;
    this.server.on('connection', (s: Socket) => {
      s.setNoDelay(true);
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      this.conns.set(s, { cwnd: INITIAL_WINDOW, lastSent: 0, requests: 0 });
    });
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Closes every open connection (a returning visit starts with none), keeping the listener. */
  drop(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Sets the fault: 'refuse' closes the port, 'blackhole' accepts and never answers. */
  async set(fault: Fault): Promise<void> {
    if (fault === this.fault) return;
    this.drop();
    if (this.fault === 'refuse') await this.start(this.port);
    if (fault === 'refuse') await new Promise<void>((r) => this.server.close(() => r()));
    this.fault = fault;
  }

  async close(): Promise<void> {
    this.drop();
    if (this.fault !== 'refuse') await new Promise<void>((r) => this.server.close(() => r()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    if (this.fault === 'blackhole') return;
    const sock = req.socket;
    const st = this.conns.get(sock)!;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const f = fileFor(this.files, path, req.headers.cookie);
    const arrived = performance.now();
    // A new connection costs its handshake before the request could even be sent.
    const wait = this.rtt * (st.requests++ === 0 ? 2 : 1);
    this.log.push(path);
    const headers: Record<string, string | number> = {
      'access-control-allow-origin': '*',
      'timing-allow-origin': '*',
      connection: 'keep-alive',
    };
    let status = 200;
    let body: Buffer = Buffer.alloc(0);
    if (!f) {
      status = 404;
      body = Buffer.from('not found');
      headers['content-type'] = 'text/plain';
    } else {
      headers['content-type'] = f.type;
      headers['cache-control'] = f.cache;
      headers.etag = f.etag;
      if (req.headers['if-none-match'] === f.etag) status = 304;
      else if (f.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        body = f.gzip;
        headers['content-encoding'] = 'gzip';
        headers.vary = 'accept-encoding';
      } else body = f.body;
    }
    if (status !== 304) headers['content-length'] = body.length;
    void this.send(sock, st, res, status, headers, body, arrived + wait, path);
  }

  /** Writes a response as the link model lets it arrive: windows of segments, each window one round trip after the last. */
  private async send(sock: Socket, st: ConnState, res: ServerResponse, status: number, headers: Record<string, string | number>, body: Buffer, ready: number, path: string): Promise<void> {
    // The status line and headers travel in the first segment too.
    const head = 17 + Object.entries(headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
    const total = head + body.length;
    if (st.lastSent && ready - st.lastSent > IDLE_RESET_MS) st.cwnd = INITIAL_WINDOW;
    let sent = 0;
    let started = false;
    let round = ready;
    while (sent < total) {
      // One window: its segments queue on the shared link as one burst, as a server's burst does at a router.
      const win = Math.min(st.cwnd, total - sent);
      const plan: [number, number][] = [];
      for (let k = 0; k < win; k += SEGMENT) plan.push([this.link.reserve(round, Math.min(SEGMENT, win - k), this.name + path), Math.min(SEGMENT, win - k)]);
      for (const [at, n] of plan) {
        await until(at);
        if (sock.destroyed) return;
        if (!started) res.writeHead(status, headers);
        started = true;
        const from = Math.max(0, sent - head);
        const to = Math.max(0, sent + n - head);
        if (to > from) res.write(body.subarray(from, to));
        sent += n;
      }
      st.lastSent = plan[plan.length - 1][0];
      st.cwnd = Math.min(st.cwnd * 2, 4 << 20);
      // The next window leaves when the first segment's acknowledgement is back.
      round = Math.max(round + this.rtt, plan[0][0] + this.rtt / 2);
    }
    res.end();
  }
}

const until = (t: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, t - performance.now())));

/** A file as the hosts serve it; text types are also kept gzipped. */
export function netFile(body: Buffer | string, type: string, cache: string): NetFile {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const text = /^(text\/|application\/(json|javascript))/.test(type);
  return { body: b, gzip: text ? gzipSync(b, { level: 6 }) : undefined, type, cache, etag: '"' + createHash('sha1').update(b).digest('hex').slice(0, 16) + '"' };
}

/** What calibration measured against what the model should give. */
export interface Calibration {
  bitsPerSecond: number;
  rtt: number;
  /** Time to first byte on a new connection (model: 2 round trips). */
  firstByteNewMs: number;
  /** Time to first byte on a kept-alive connection (model: 1 round trip). */
  firstByteReusedMs: number;
  /** Download of `bytes` on a warm connection; model: `bytes` at the link rate plus one round trip. */
  bytes: number;
  downloadMs: number;
  expectedDownloadMs: number;
}

/** Fetches from `host` with Node's own client, which adds nothing of its own, and compares with the model. */
export async function calibrate(host: Host, link: Link, path: string, bytes: number): Promise<Calibration> {
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<{ first: number; end: number }>((resolve, reject) => {
      const t0 = performance.now();
      let first = 0;
      request(host.url + path, { agent }, (res) => {
        res.on('data', () => (first ||= performance.now() - t0));
        res.on('end', () => resolve({ first: first || performance.now() - t0, end: performance.now() - t0 }));
      })
        .on('error', reject)
        .end();
    });
  link.reset();
  const a = await get();
  // Warm the window up, then one more: its time is bandwidth-bound.
  await get();
  const b = await get();
  agent.destroy();
  return {
    bitsPerSecond: link.bitsPerSecond,
    rtt: host.rtt,
    firstByteNewMs: Math.round(a.first),
    firstByteReusedMs: Math.round(b.first),
    bytes,
    downloadMs: Math.round(b.end),
    expectedDownloadMs: Math.round(host.rtt + (bytes * 8 * 1000) / link.bitsPerSecond),
  };
}
