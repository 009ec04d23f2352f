// Runs the collected browser tests in WebKit (WebKitGTK through WebKitWebDriver), one at a time, each
// in a fresh browser session with fresh servers, and reports them as Playwright's list reporter does.
// Built and started by scripts/webkit.mjs, which bundles the spec files with this runner.
import { mkdirSync, writeFileSync } from 'node:fs';
import { findWebKit, loudly, wanted } from '../engines.js';
import { collected, running, Skip, startSite, type Collected } from './fixtures.js';
import { pageFor, Unsupported, type WebDriverPage } from './page.js';
import { newSession, startDriver, type Driver } from './webdriver.js';
import type { EngineRun } from '../engineReport.js';
import { knownFailure } from '../known.js';

/**
 * The behaviours WebKit must hold (issue 13): when one of them is skipped, renamed or fails, the run
 * fails. Titles are matched from their start.
 */
export const CORE = [
  'a manifest URL: always mode serves every image from the first edge, once each',
  '#id of a JSON script element',
  'off mode: every resource from the origin and no probe is sent',
  'spreads resources evenly over the edges and the origin by weight',
  'prefixes, exact paths, * and ** globs; unregistered resources are not touched',
  '" [CDN]" on alt and title of edge images only',
  'edge refused: next edge, each source tried at most once',
  'edge 500: next edge, each source tried at most once',
  'a blackholed edge: images, a stylesheet and scripts all arrive from the next edge, scripts in order',
  'the next page sends no resource to an edge known to be dead',
  'scripts run in document order, once each, also when one fails over',
  'integrity is set on every source; an integrity failure moves on like an error',
  'elements added later are handled too',
];

const isCore = (t: Collected) => CORE.some((c) => t.titles[t.titles.length - 1].startsWith(c));

/** Puts the page's init scripts (the event recorder) at the top of every HTML page the origin serves. */
function injectInitScripts(server: { file: (path: string, body: string | Buffer, type?: string, headers?: Record<string, string>) => void }, page: WebDriverPage) {
  const file = server.file.bind(server);
  server.file = (path, body, type = 'text/html; charset=utf-8', headers) => {
    if (type.startsWith('text/html')) {
      const html = String(body);
      const tag = `<script>${page.initScript()}</script>`;
      const at = html.match(/<head[^>]*>/i) ?? html.match(/<!doctype[^>]*>/i);
      body = at ? html.replace(at[0], at[0] + tag) : tag + html;
    }
    file(path, body, type, headers);
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: timeout of ${ms} ms exceeded`)), ms)))]).finally(() => clearTimeout(t));
}

type Outcome = { status: 'passed'; known?: string } | { status: 'skipped'; reason: string } | { status: 'failed'; error: string };

async function runOne(driver: Driver, t: Collected, webkit: ReturnType<typeof findWebKit>): Promise<Outcome & { browser?: string }> {
  if (t.skip) return { status: 'skipped', reason: t.skip };
  for (let s: typeof t.scope | undefined = t.scope; s; s = s.parent) if (s.unsupported) return { status: 'skipped', reason: `not run in WebKit: uses ${s.unsupported}` };
  const session = await newSession(driver, webkit);
  const page = pageFor(session);
  let close: (() => Promise<void>) | undefined;
  running.timeout = t.timeout;
  running.expectFail = knownFailure('webkit', t.titles[t.titles.length - 1]);
  try {
    const started = await startSite(page);
    close = started.close;
    injectInitScripts(started.site.origin, page);
    const given: Record<string, unknown> = { page, site: started.site, browserName: 'webkit' };
    const fixtures = new Proxy(given, {
      get(target, key) {
        if (typeof key === 'string' && !(key in target)) throw new Unsupported(`uses the "${key}" fixture, which the WebKit runner does not have`);
        return Reflect.get(target, key);
      },
    });
    const hooks = (kind: 'beforeEach' | 'afterEach') => {
      const chain: ((f: Record<string, unknown>) => unknown)[][] = [];
      for (let s: typeof t.scope | undefined = t.scope; s; s = s.parent) chain.unshift(s[kind]);
      return kind === 'beforeEach' ? chain.flat() : chain.reverse().flat();
    };
    const body = async () => {
      for (const h of hooks('beforeEach')) await h(fixtures);
      await t.fn(fixtures);
      for (const h of hooks('afterEach')) await h(fixtures);
    };
    // test.setTimeout() inside the body changes running.timeout, so the deadline is checked as it goes.
    const start = Date.now();
    const deadline = new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (Date.now() - start > running.timeout) {
          clearInterval(check);
          reject(new Error(`Test timeout of ${running.timeout} ms exceeded`));
        }
      }, 100);
      void body().then(
        () => (clearInterval(check), resolve()),
        (e) => (clearInterval(check), reject(e)),
      );
    });
    await deadline;
    if (running.expectFail) return { status: 'failed', error: `Expected to fail (test.fail: ${running.expectFail}), but passed: remove the test.fail` };
    return { status: 'passed', browser: session.browser };
  } catch (e) {
    if (e instanceof Skip) return { status: 'skipped', reason: e.message };
    if (e instanceof Unsupported) return { status: 'skipped', reason: `not run in WebKit: ${e.message}` };
    if (running.expectFail) return { status: 'passed', browser: session.browser, known: running.expectFail };
    return { status: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  } finally {
    await withTimeout(session.close(), 15000, 'closing the session').catch(() => undefined);
    await close?.();
  }
}

export async function main(argv: string[]): Promise<number> {
  if (!wanted().includes('webkit')) {
    console.log(`webkit: not in ENGINES=${process.env.ENGINES}: not run`);
    return 0;
  }
  const webkit = findWebKit();
  if (!webkit.path) {
    console.error(loudly([webkit]) + `\n!!  (missing: ${webkit.missing})`);
    return process.env.CI ? 1 : 0;
  }
  // A test that goes on after its timeout must not end the run.
  process.on('unhandledRejection', () => undefined);
  const grep = argv.find((a, i) => argv[i - 1] === '--grep' || argv[i - 1] === '-g');
  const coreOnly = argv.includes('--core');
  const tests = collected.filter((t) => (!grep || t.titles.join(' › ').includes(grep)) && (!coreOnly || isCore(t)));
  const missingCore = grep ? [] : CORE.filter((c) => !collected.some((t) => t.titles[t.titles.length - 1].startsWith(c)));
  const started = Date.now();
  const driver = await startDriver(webkit);
  let browser = 'WebKitGTK';
  const run: EngineRun = { engine: 'webkit', version: '', driver: 'WebKitWebDriver (e2e/webkit/)', passed: 0, failed: [], skipped: [], seconds: 0, complete: !grep && !coreOnly, date: new Date().toISOString().slice(0, 10) };
  const coreFailed: string[] = [];
  console.log(`Running ${tests.length} tests in WebKit (one at a time)\n`);
  try {
    let n = 0;
    for (const t of tests) {
      n++;
      const title = `[webkit] › e2e/${t.file} › ${t.titles.join(' › ')}`;
      const t0 = Date.now();
      const out = await runOne(driver, t, webkit);
      if (out.browser) browser = out.browser;
      const ms = Date.now() - t0;
      const core = isCore(t);
      if (out.status === 'passed') {
        run.passed++;
        if (out.known) run.known = [...(run.known ?? []), { title: t.titles.join(' › '), reason: out.known }];
        console.log(`  ✓ ${String(n).padStart(4)} ${title} (${(ms / 1000).toFixed(1)}s)${out.known ? ` — failed as expected: ${out.known}` : ''}`);
      } else if (out.status === 'skipped') {
        run.skipped.push({ title: t.titles.join(' › '), reason: out.reason });
        if (core) coreFailed.push(`${t.titles.join(' › ')} (skipped: ${out.reason})`);
        console.log(`  - ${String(n).padStart(4)} ${title} — skipped: ${out.reason}`);
      } else {
        run.failed.push(t.titles.join(' › '));
        if (core) coreFailed.push(t.titles.join(' › '));
        console.log(`  ✘ ${String(n).padStart(4)} ${title} (${(ms / 1000).toFixed(1)}s)\n${out.error.replace(/^/gm, '        ')}`);
      }
    }
  } finally {
    await driver.stop();
  }
  run.seconds = Math.round((Date.now() - started) / 1000);
  run.version = browser.replace(/^MiniBrowser/, 'WebKitGTK');
  mkdirSync('test-results/browsers', { recursive: true });
  if (run.complete) writeFileSync('test-results/browsers/webkit.json', JSON.stringify(run, null, 2) + '\n');
  const reasons = new Map<string, number>();
  for (const s of run.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  console.log(`\nwebkit    ${run.version}: ${run.passed} passed, ${run.skipped.length} skipped, ${run.failed.length} failed (${run.seconds} s)`);
  for (const [reason, k] of reasons) console.log(`          skipped ${k}: ${reason}`);
  for (const c of missingCore) console.error(`webkit: core behaviour "${c}" matches no test: update CORE in e2e/webkit/run.ts`);
  for (const c of coreFailed) console.error(`webkit: core behaviour did not pass: ${c}`);
  return run.failed.length || missingCore.length || coreFailed.length ? 1 : 0;
}
