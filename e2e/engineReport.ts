// A Playwright reporter: per engine, how many tests passed, failed and were skipped (each skip with
// its reason, and a test skipped without one named), written to test-results/browsers/<engine>.json
// for the browser-support table (scripts/browsers.mjs), and a loud line for every engine that did
// not run.
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { findChromium, findFirefox, loudly, type Engine, type EngineName } from './engines.js';

export interface EngineRun {
  engine: EngineName;
  /** The browser's own version string, e.g. `Chromium 156.0.8078.114`. */
  version: string;
  driver: string;
  passed: number;
  failed: string[];
  skipped: { title: string; reason: string }[];
  /** Known engine bugs: tests marked test.fail() for this engine, which failed as expected. */
  known?: { title: string; reason: string }[];
  /** Wall time of the run that produced this file, in seconds. */
  seconds: number;
  /** False when only some spec files or tests were selected. */
  complete: boolean;
  date: string;
}

/** `chromium --version` / `firefox --version`, or what little is known. */
export function versionOf(engine: Engine): string {
  try {
    return execFileSync(engine.path!, ['--version'], { encoding: 'utf8', timeout: 20000, stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .replace(/^Mozilla /, '')
      .replace(/ built on .*$/, '');
  } catch {
    return engine.name;
  }
}

export default class EngineReport implements Reporter {
  private runs = new Map<string, EngineRun>();
  private start = Date.now();
  private complete = true;

  onBegin(config: FullConfig, suite: Suite): void {
    // Arguments that pick files, lines or titles make a partial run, which must not stand for the engine.
    const args = process.argv.slice(process.argv.indexOf('test') + 1);
    this.complete = !args.some((a) => !a.startsWith('-') && !/^\d+$/.test(a)) && !args.some((a) => /^(-g|--grep|--grep-invert|--last-failed|--only-changed)/.test(a));
    for (const p of suite.suites) {
      const engine = p.project()?.name as EngineName;
      const found = engine === 'firefox' ? findFirefox() : findChromium();
      this.runs.set(engine, {
        engine,
        version: versionOf(found),
        driver: engine === 'firefox' && found.from !== 'Playwright' ? `Playwright ${config.version} over WebDriver BiDi` : `Playwright ${config.version}`,
        passed: 0,
        failed: [],
        skipped: [],
        seconds: 0,
        complete: this.complete,
        date: new Date().toISOString().slice(0, 10),
      });
    }
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // A result that will be retried is not the last word (a known failure, as expected, is not retried).
    if (result.retry < test.retries && result.status !== test.expectedStatus && result.status !== 'skipped') return;
    const run = this.runs.get(test.parent.project()?.name ?? '');
    if (!run) return;
    const title = test.titlePath().slice(2).join(' › ');
    if (result.status === 'skipped') {
      const why = [...result.annotations, ...test.annotations].find((a) => a.type === 'skip' || a.type === 'fixme')?.description;
      run.skipped.push({ title, reason: why || 'NO REASON GIVEN: add one to test.skip()' });
    } else if (result.status === 'failed' && test.expectedStatus === 'failed') {
      run.passed++;
      const why = [...result.annotations, ...test.annotations].find((a) => a.type === 'fail')?.description ?? 'test.fail without a reason';
      run.known = [...(run.known ?? []), { title, reason: why }];
    } else if (result.status === 'passed' && test.expectedStatus === 'passed') run.passed++;
    else run.failed.push(title);
  }

  onEnd(result: FullResult): void {
    if (process.argv.includes('--list')) return;
    const seconds = Math.round((Date.now() - this.start) / 1000);
    mkdirSync('test-results/browsers', { recursive: true });
    const lines: string[] = [];
    for (const run of this.runs.values()) {
      run.seconds = seconds;
      writeFileSync(`test-results/browsers/${run.engine}.json`, JSON.stringify(run, null, 2) + '\n');
      lines.push(`${run.engine.padEnd(9)} ${run.version}: ${run.passed} passed, ${run.skipped.length} skipped, ${run.failed.length} failed`);
      const reasons = new Map<string, number>();
      for (const s of run.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
      for (const [reason, n] of reasons) lines.push(`          skipped ${n}: ${reason}`);
    }
    console.log(`\nEngines (${result.status}, ${seconds} s):\n${lines.join('\n')}`);
    const missing = (process.env.CDN_LOADER_MISSING_ENGINES ?? '').split(',').filter(Boolean);
    if (missing.length) console.error('\n' + loudly(missing.map((m) => (m === 'firefox' ? findFirefox() : findChromium()))));
  }
}
