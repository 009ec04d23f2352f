// Edges on the real nginx over HTTP/2 and TLS, each with a fault, for e2e/nginxH2.spec.ts. One nginx
// process holds every edge of a test: a `server { listen … ssl http2; }` per edge on its own loopback
// port, with the self-signed certificate of the h2 project (servers.ts `selfSigned`) and the edge
// recipe (recipes/nginx.conf) included verbatim. nginx makes each fault itself where it can:
//
//   refuse     nothing listens on the edge's port (nginx never sees the request)
//   500 / 404  `return 500;` / `return 404;` for every request, probes too (nginx's own HTML page)
//   blackhole  every request is proxied to an upstream that accepts and never answers (a Node socket
//              that holds the connection): nginx holds the HTTP/2 stream open, sends nothing
//   stuck      the same for the listed paths only (one stuck object on a busy edge)
//   slow       `limit_rate`: 8 bytes a second, headers included, so every answer takes seconds
//   corrupt    the root holds other bytes at the same paths (SRI fails, images do not decode)
//   flap       503 in every odd second of the clock (`map $msec`), served normally in even ones
//
// Every request is in the access log with its port (the edge), status, bytes, duration, protocol and
// TLS version: tests read what really travelled there (a request appears once it ended).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { preamble, RECIPE, startNginx, freePort } from './nginx.js';
import { selfSigned } from './servers.js';

export type EdgeFault = 'ok' | 'refuse' | 'blackhole' | 'slow' | '404' | '500' | 'corrupt' | 'flap';

export interface EdgeSpec {
  name: string;
  fault?: EdgeFault;
  /** Paths that never answer on this edge (proxied to the blackhole), whatever its fault. */
  stuck?: string[];
}

export interface NginxEdge {
  name: string;
  port: number;
  /** `https://edge-NAME.localhost:PORT`: a host name of its own per edge, as in the other projects. */
  url: string;
  fault: EdgeFault;
}

/** One request in nginx's access log. */
export interface LogRow {
  edge: string;
  /** The request's path and query. */
  path: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  /** Seconds from the request's first bytes to its log entry (nginx's $request_time). */
  seconds: number;
  /** When it ended (ms since the epoch, as Date.now()). */
  end: number;
  /** Its Sec-Fetch-Dest and Sec-Fetch-Mode (`-` when absent). */
  dest: string;
  mode: string;
  /** `HTTP/2.0` for requests over HTTP/2. */
  protocol: string;
  /** `TLSv1.3` … */
  tls: string;
}

export interface NginxEdges {
  edges: NginxEdge[];
  /** Every request logged so far, probes included. */
  log(): LogRow[];
  /** Paths requested from edge `name` (probes left out), as logged so far. */
  hits(name: string, filter?: (path: string) => boolean): string[];
  /** Probes logged on edge `name` (the recipe keeps probes of a healthy edge out of the log). */
  probes(name: string): string[];
  /** Requests the blackhole upstream holds now (one connection from nginx each, closed when nginx ends the request). */
  held(): number;
  /**
   * Client connections nginx has open now (its stub_status). 0 once the browser's are closed: every
   * request then ended, and is in the log.
   */
  connections(): Promise<number>;
  /** nginx's error log (warnings and errors). */
  errors(): string[];
  close(): Promise<void>;
}

/** Bytes per second of a slow edge: every answer, headers and a 1×1 image included, takes seconds. */
export const SLOW_RATE = 64;

/** Bytes at the same path that are not the asset: a script that says so, or no image at all. */
export const corrupted = (path: string, body: string | Buffer) =>
  /\.(js|css)$/.test(path) ? `${body}\n/* corrupted */ window.__corrupt=(window.__corrupt||0)+1;` : 'not the right bytes';

const faultLines: Record<EdgeFault, string> = {
  ok: '',
  refuse: '',
  '500': 'return 500;',
  '404': 'return 404;',
  blackhole: 'rewrite ^ /__blackhole last;',
  slow: `limit_rate ${SLOW_RATE};`,
  corrupt: '',
  flap: 'if ($flap) { return 503; }',
};

/** Sends one exact path to the blackhole (before the recipe's locations are looked at). */
const stuckLine = (path: string) => `rewrite ^${path.replace(/[^\w/-]/g, '\\$&')}$ /__blackhole last;`;

/** A Node socket server that accepts connections and never answers: the upstream that makes nginx hang. */
async function blackhole(): Promise<{ port: number; held: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    // Read (and drop) what nginx sends, so that its closing the connection is seen.
    s.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    held: () => sockets.size,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * Starts the edges in one nginx: each serves `files` (path → body, the same the origin serves) with
 * its fault. An edge whose fault is `refuse` gets a port nothing listens on.
 */
export async function startNginxEdges(specs: EdgeSpec[], files: Record<string, string | Buffer>): Promise<NginxEdges> {
  const dir = mkdtempSync(join(tmpdir(), 'cdn-loader-nginx-h2-'));
  const write = (root: string, path: string, body: string | Buffer) => {
    mkdirSync(dirname(join(dir, root, path)), { recursive: true });
    writeFileSync(join(dir, root, path), body);
  };
  for (const [path, body] of Object.entries(files)) {
    write('www', path, body);
    write('corrupt', path, corrupted(path, body));
  }
  const { key, cert } = selfSigned();
  writeFileSync(join(dir, 'key.pem'), key);
  writeFileSync(join(dir, 'cert.pem'), cert);
  const hole = await blackhole();
  const serving = specs.filter((s) => (s.fault ?? 'ok') !== 'refuse');
  // A port for a refusing edge: free a moment ago, and nothing binds it (nginx only binds the others).
  const refused = new Map<string, number>();
  for (const s of specs) if (s.fault === 'refuse') refused.set(s.name, await freePort());

  const server = (s: EdgeSpec, port: number) => `
  server {
    listen 127.0.0.1:${port} ssl http2;
    server_name edge-${s.name}.localhost;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root ${dir}/${s.fault === 'corrupt' ? 'corrupt' : 'www'};
    ${(s.stuck ?? []).map(stuckLine).join('\n    ')}
    ${faultLines[s.fault ?? 'ok']}
    include ${RECIPE};
    # A request that never answers: nginx waits on an upstream that accepted and stays silent.
    location = /__blackhole {
      internal;
      proxy_pass http://127.0.0.1:${hole.port};
      proxy_read_timeout 600s;
      proxy_send_timeout 600s;
    }
  }`;
  const nginx = await startNginx(
    dir,
    serving.length + 1,
    (ports) => `${preamble(dir)}
  # nginx's own count of open client connections (the last port, plain HTTP, not logged).
  server {
    listen 127.0.0.1:${ports[serving.length]};
    access_log off;
    location = /status { stub_status; }
  }
  log_format edges '$server_port $status $body_bytes_sent $request_time $msec $server_protocol $ssl_protocol $http_sec_fetch_dest $http_sec_fetch_mode "$request_uri"';
  access_log ${dir}/access.log edges;
  # Flapping edges answer 503 in every odd second.
  map $msec $flap { "~[13579]\\.\\d+$" 1; default 0; }
  ${serving.map((s, i) => server(s, ports[i])).join('\n')}
}
`,
  );
  const edges: NginxEdge[] = specs.map((s) => {
    const port = refused.get(s.name) ?? nginx.ports[serving.indexOf(s)];
    return { name: s.name, port, url: `https://edge-${s.name}.localhost:${port}`, fault: s.fault ?? 'ok' };
  });
  const byPort = new Map(edges.map((e) => [String(e.port), e.name]));
  const log = (): LogRow[] =>
    nginx.lines('access.log').flatMap((l) => {
      const m = /^(\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) (\S+) (\S+) (\S+) (\S+) "(.*)"$/.exec(l);
      return m
        ? [{ edge: byPort.get(m[1]) ?? m[1], status: +m[2], bytes: +m[3], seconds: +m[4], end: Math.round(+m[5] * 1000), protocol: m[6], tls: m[7], dest: m[8], mode: m[9], path: m[10] }]
        : [];
    });
  return {
    edges,
    log,
    hits: (name, filter) => log().filter((r) => r.edge === name && !r.path.includes('cdn-probe=') && (!filter || filter(r.path))).map((r) => r.path),
    probes: (name) => log().filter((r) => r.edge === name && r.path.includes('cdn-probe=')).map((r) => r.path),
    held: hole.held,
    async connections() {
      const status = await fetch(`http://127.0.0.1:${nginx.ports[serving.length]}/status`).then((r) => r.text());
      // The status request's own connection is one of them.
      return Number(/Active connections:\s*(\d+)/.exec(status)?.[1] ?? NaN) - 1;
    },
    errors: () => nginx.lines('error.log'),
    async close() {
      await nginx.stop();
      await hole.close();
    },
  };
}
