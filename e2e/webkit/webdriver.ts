// A W3C WebDriver client in plain HTTP + JSON, enough to drive WebKitGTK's WebKitWebDriver: start the
// driver (under Xvfb when there is no display), open one session, send commands, stop everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { WebKit } from '../engines.js';

/** An error the driver answered, e.g. `javascript error` or `script timeout`, with its message. */
export class WebDriverError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** A free loopback port (the driver takes a port number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function call(base: string, method: string, path: string, body?: unknown, ms = 120000): Promise<unknown> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(ms),
  });
  const json = (await res.json()) as { value: unknown };
  const v = json.value as { error?: string; message?: string } | null;
  if (!res.ok || (v && typeof v === 'object' && typeof v.error === 'string')) throw new WebDriverError(v?.error ?? String(res.status), v?.message ?? '');
  return json.value;
}

export interface Driver {
  url: string;
  stop(): Promise<void>;
}

/** Starts WebKitWebDriver on a free port and waits (at most 20 s) until it answers /status. */
export async function startDriver(webkit: WebKit): Promise<Driver> {
  const port = await freePort();
  const cmd = webkit.xvfb ? [webkit.xvfb, '-a', webkit.path!, `--port=${port}`] : [webkit.path!, `--port=${port}`];
  // Its own process group, so stopping it also stops Xvfb and the browsers it started.
  const child: ChildProcess = spawn(cmd[0], cmd.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    await exited;
    clearTimeout(t);
  };
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await call(url, 'GET', '/status', undefined, 2000);
      return { url, stop };
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`WebKitWebDriver did not start (${cmd.join(' ')}): ${stderr.trim() || 'no answer on /status within 20 s'}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface Session {
  id: string;
  /** The browser's name and version as the driver reports them, e.g. `MiniBrowser 2.50.6`. */
  browser: string;
  cmd(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Opens a session. `pageLoadStrategy: "none"`: with "normal" every command waits for the load event,
 * which a page holding a hanging resource never fires; the page waits for readiness itself instead.
 */
export async function newSession(driver: Driver, webkit: WebKit): Promise<Session> {
  const v = (await call(driver.url, 'POST', '/session', {
    capabilities: {
      alwaysMatch: {
        pageLoadStrategy: 'none',
        'webkitgtk:browserOptions': { binary: webkit.browser, args: ['--automation'] },
      },
    },
  })) as { sessionId: string; capabilities: { browserName: string; browserVersion: string } };
  const base = `/session/${v.sessionId}`;
  await call(driver.url, 'POST', `${base}/timeouts`, { script: 120000, pageLoad: 300000, implicit: 0 });
  return {
    id: v.sessionId,
    browser: `${v.capabilities.browserName} ${v.capabilities.browserVersion}`,
    cmd: (method, path, body) => call(driver.url, method, base + path, body ?? (method === 'POST' ? {} : undefined)),
    close: async () => {
      await call(driver.url, 'DELETE', base, undefined, 10000).catch(() => undefined);
    },
  };
}
