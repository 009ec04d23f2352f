// The part of Playwright's Page that the browser tests use, over WebDriver: goto, reload, evaluate,
// waitForFunction, addInitScript. Anything else throws Unsupported, which the runner reports as a
// skip with its reason (never a silent pass).
import type { Session } from './webdriver.js';

/** A test needs what WebDriver on WebKitGTK cannot give; the runner reports it as skipped, with this reason. */
export class Unsupported extends Error {}

const UNDEFINED = '\u0000undefined';

/** JSON from the page keeps `undefined` (as Playwright's evaluate does); WebDriver alone turns it into null. */
function revive(v: unknown): unknown {
  if (v === UNDEFINED) return undefined;
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  return v;
}

/** Source of a function the page runs with one argument, as Playwright's `evaluate(fn, arg)` does. */
function source(fn: unknown): string {
  if (typeof fn === 'function') return fn.toString();
  if (typeof fn === 'string') return `() => (${fn})`;
  throw new Error('evaluate: a function or an expression string');
}

// Runs in the page through execute/async: the function's value, JSON-encoded with undefined kept.
const RUN = `
const done = arguments[arguments.length - 1];
const enc = (v) => JSON.stringify({ v }, (k, x) => (x === undefined ? ${JSON.stringify(UNDEFINED)} : x));
const fail = (e) => done(JSON.stringify({ e: String((e && e.stack) || e) }));
`;

interface NavOptions {
  timeout?: number;
  waitUntil?: 'load' | 'domcontentloaded' | 'commit' | 'networkidle';
}

export class WebDriverPage {
  private inits: string[] = [];
  private current = 'about:blank';

  constructor(private s: Session) {}

  /** The scripts a page must run before its own ones (the runner puts them at the top of each HTML page). */
  initScript(): string {
    return this.inits.join(';\n');
  }

  async addInitScript(script: unknown, arg?: unknown): Promise<void> {
    this.inits.push(typeof script === 'function' ? `(${script.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})` : String(script));
  }

  private async exec(body: string, args: unknown[]): Promise<unknown> {
    const raw = (await this.s.cmd('POST', '/execute/async', { script: RUN + body, args })) as string;
    const out = JSON.parse(raw) as { v?: unknown; e?: string; t?: number };
    if (out.e !== undefined) throw new Error(`page: ${out.e}`);
    return revive(out.v);
  }

  async evaluate<R>(fn: unknown, arg?: unknown): Promise<R> {
    return (await this.exec(`Promise.resolve().then(() => (${source(fn)})(arguments[0])).then((v) => done(enc(v)), fail);`, [arg ?? null])) as R;
  }

  /** Polls `fn(arg)` in the page every 20 ms until it is truthy, at most `timeout` ms (default 30 s). */
  async waitForFunction(fn: unknown, arg?: unknown, opts: { timeout?: number } = {}): Promise<unknown> {
    const timeout = opts.timeout ?? 30000;
    const out = (await this.exec(
      `const f = (${source(fn)}); const end = Date.now() + ${timeout};
       const tick = () => Promise.resolve().then(() => f(arguments[0])).then((v) => {
         if (v) done(enc(v)); else if (Date.now() > end) done(JSON.stringify({ v: { __timeout: true } })); else setTimeout(tick, 20);
       }, fail);
       tick();`,
      [arg ?? null],
    )) as { __timeout?: boolean };
    if (out && typeof out === 'object' && out.__timeout) throw new Error(`page.waitForFunction: Timeout ${timeout}ms exceeded (${source(fn).slice(0, 200)})`);
    return out;
  }

  /**
   * Marks the current document, starts the navigation, and waits for the new document as Playwright
   * does: its load event (readyState "complete"), or with `waitUntil: 'domcontentloaded'` its parse.
   */
  private async navigate(start: () => Promise<unknown>, o: NavOptions): Promise<void> {
    const timeout = o.timeout ?? 20000;
    const want = o.waitUntil === 'domcontentloaded' ? ['interactive', 'complete'] : o.waitUntil === 'commit' ? ['loading', 'interactive', 'complete'] : ['complete'];
    await this.s.cmd('POST', '/execute/sync', { script: 'window.__wdOld = 1;', args: [] });
    await start();
    const end = Date.now() + timeout;
    for (;;) {
      const state = await this.s
        .cmd('POST', '/execute/sync', { script: 'return window.__wdOld ? "old" : document.readyState;', args: [] })
        // Between two documents the driver may fail a script: ask again.
        .catch(() => 'between');
      if (want.includes(state as string)) return;
      if (Date.now() > end) throw new Error(`page.goto: no load event within ${timeout} ms (document: ${String(state)})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async goto(url: string, opts: NavOptions = {}): Promise<null> {
    this.current = url;
    await this.navigate(() => this.s.cmd('POST', '/url', { url }), opts);
    return null;
  }

  async reload(opts: NavOptions = {}): Promise<null> {
    await this.navigate(() => this.s.cmd('POST', '/refresh'), opts);
    return null;
  }

  /** The URL last opened (synchronous, as Playwright's). */
  url(): string {
    return this.current;
  }
}

/** The page a test gets: a WebDriverPage whose other members throw Unsupported with their name. */
export function pageFor(s: Session): WebDriverPage {
  const page = new WebDriverPage(s);
  return new Proxy(page, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key in target || key === 'then') return Reflect.get(target, key, receiver);
      throw new Unsupported(`uses page.${key}(), which WebDriver on WebKitGTK does not offer${key === 'on' ? ' (console and page errors are not observable there)' : ''}`);
    },
  });
}
