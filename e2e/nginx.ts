// A real nginx for the tests: one process as the current user, every path in a temporary folder, on
// loopback ports that were free a moment before (a lost race is retried). e2e/nginx.spec.ts runs the
// edge recipe in it over HTTP/1.1; e2e/nginxH2.ts runs edges over HTTP/2 and TLS with faults.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nginxPath } from '../scripts/needs.mjs';

/** $NGINX_PATH, Debian's /usr/sbin/nginx (not on a normal user's PATH), or nginx on the PATH. */
export const NGINX = nginxPath();

/** The edge recipe that sites include in their nginx `server { }` block (docs/edges.md). */
export const RECIPE = resolve(dirname(fileURLToPath(import.meta.url)), '../recipes/nginx.conf');

/** Fails a test run that lacks nginx, saying how to get it (never a quiet skip). */
export function needNginx(): string {
  if (!NGINX) throw new Error('nginx is not installed: run `npm run setup` (or `apt-get install nginx`, or set NGINX_PATH)');
  return NGINX;
}

/** A port that was free a moment ago (nginx binds it next; a lost race is retried). */
export const freePort = () =>
  new Promise<number>((done, fail) => {
    const s = http.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => done(port));
    });
  });

/** The top of an nginx.conf: one process as the current user, logs and temporary files in `dir`. */
export function preamble(dir: string): string {
  const types = existsSync('/etc/nginx/mime.types')
    ? 'include /etc/nginx/mime.types;'
    : 'types { text/html html; text/css css; application/javascript js; image/png png; image/gif gif; image/webp webp; }';
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  ${types}
  default_type application/octet-stream;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
`;
}

/** Resolves once nginx wrote its pid file, which it does after it has bound its ports; rejects if it exits first. */
function started(proc: ChildProcess, dir: string, ms = 10000): Promise<void> {
  return new Promise((done, fail) => {
    const watcher = watch(dir, () => existsSync(join(dir, 'nginx.pid')) && finish());
    const timer = setTimeout(() => finish(new Error(`nginx did not start within ${ms} ms`)), ms);
    const exited = (code: number | null) => finish(new Error(`nginx exited with ${code}`));
    proc.once('exit', exited);
    function finish(e?: Error) {
      watcher.close();
      clearTimeout(timer);
      proc.off('exit', exited);
      if (e) fail(e);
      else done();
    }
    if (existsSync(join(dir, 'nginx.pid'))) finish();
  });
}

const stopped = (proc: ChildProcess) =>
  new Promise<void>((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    proc.kill('SIGTERM');
  });

export interface Nginx {
  /** The ports nginx listens on, as `config` was given them. */
  ports: number[];
  /** Lines of a log file in its folder (access.log, error.log). */
  lines(file: string): string[];
  stop(): Promise<void>;
}

/**
 * Starts nginx in `dir` (which must exist) with the nginx.conf that `config` writes for `count` free
 * ports; retried with other ports when one was taken meanwhile. `stop()` ends it and removes `dir`.
 */
export async function startNginx(dir: string, count: number, config: (ports: number[]) => string): Promise<Nginx> {
  const bin = needNginx();
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const ports: number[] = [];
    while (ports.length < count) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    writeFileSync(join(dir, 'nginx.conf'), config(ports));
    let stderr = '';
    const proc = spawn(bin, ['-p', dir + '/', '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (d) => (stderr += d));
    const lines = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean) : []);
    try {
      await started(proc, dir);
      return {
        ports,
        lines,
        async stop() {
          await stopped(proc);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      await stopped(proc);
      const log = lines('error.log').join('\n');
      rmSync(join(dir, 'error.log'), { force: true });
      if (attempt < 3 && /Address already in use/.test(log + stderr)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${(e as Error).message}\n${stderr}${log}`);
    }
  }
}

/** One GET without decompression: status, headers and the raw body. */
export function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = http.get(url, { headers }, (res) => {
      const body: Buffer[] = [];
      res.on('data', (d: Buffer) => body.push(d));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(body) }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${url}: no answer in 5 s`)));
    req.on('error', fail);
  });
}
