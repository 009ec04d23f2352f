// `npm run bench`: starts a loopback origin and three edges with injected latency, drives Chromium,
// and prints one table (stdout; progress goes to stderr). Every figure is a median over repeated
// runs, every comparison a ratio of two medians measured in this same run. Also writes
// bench/results.json. Options: --repeats N (default 5), --failover-repeats N (3), --cutoff MS
// (15000, per page), --budget S (240: later repetitions are dropped rather than overrun it; a
// watchdog ends the run 50 s past it),
// --only 1,2,5 (some sections; 3 and 4 run together), --manifest-images N (5000, §8). §9, the first visit on an emulated network
// (bench/firstVisit.ts): --fv-repeats N (5), --fv-fault-repeats N (3), --fv-budget S (420, its own), --fv-cutoff MS (10000), --fv-returning K (1: warm and back visits after each cold one), --fv-only a,b (variants; split-base is
// the split of the --baseline revision, interleaved with this build's).
// With --only 9 and/or 12, the other sections' results already in bench/results.json are kept.
// --pin: the servers and the emulated link on one core, Chromium on the others (bench/pin.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { launch } from './browser.js';
import { pinned } from './pin.js';
import { binding } from './binding.js';
import { IMAGES, failover, imagePages } from './pageLoad.js';
import { probeAccuracy } from './probeAccuracy.js';
import { roundRobin } from './roundRobin.js';
import { sizes } from './size.js';
import { LATENCY, startSite } from './site.js';
import { Clock } from './stats.js';
import { table, type Results } from './table.js';
import { manifests } from './manifests.js';
import { firstVisit } from './firstVisit.js';
import { baselineLoader, detector } from './detector.js';
// --baseline REV (the build §10 compares with: dist/ of that git revision; default `git merge-base HEAD main`).
// §11 is the service worker (navigation time with and without it).
import { workerNavigation } from './serviceWorker.js';
// §12 is a returning visit's main-thread cost (bench/warmCost.ts): this build's runtime and the --baseline revision's, interleaved;
// --warm-only a,b (its variants: plain, boot, split, cdn-boot, cdn-split, split-base, cdn-split-base), --warm-images N (40).
import { warmCost, warmTable, type WarmResult } from './warmCost.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 1) throw new Error(`bench: --${name} wants a positive number, got ${JSON.stringify(process.argv[i + 1])}`);
  return v;
}

function list(name: string): string[] | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : (process.argv[i + 1] ?? '').split(',');
}

const repeats = option('repeats', 5);
const failoverRepeats = option('failover-repeats', 3);
const cutoff = option('cutoff', 15000);
const manifestImages = option('manifest-images', 5000);
const fvOptions = { repeats: option('fv-repeats', 5), faultRepeats: option('fv-fault-repeats', 3), cutoff: option('fv-cutoff', 10000), budget: option('fv-budget', 420) * 1000, returning: Math.round(option('fv-returning', 1)), variants: list('fv-only'), baseline: process.argv.includes('--baseline') ? process.argv[process.argv.indexOf('--baseline') + 1] : undefined, pinned: process.argv.includes('--pin') };
const budget = option('budget', 240) * 1000;
const clock = new Clock(budget);
const onlyArg = process.argv.indexOf('--only');
const baselineArg = process.argv.indexOf('--baseline');
const only = new Set(onlyArg < 0 ? ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] : (process.argv[onlyArg + 1] ?? '').split(','));
if (only.has('3') || only.has('4')) only.add('3').add('4');

// However a step hangs, the benchmark ends: 50 s past its budget it gives up.
const watchdog = setTimeout(() => {
  clock.log('bench: still running 50 s past the time budget; giving up');
  process.exit(2);
}, budget + (only.has('9') ? fvOptions.budget : 0) + 50000);

const site = await startSite();
const browser = fvOptions.pinned ? await pinned(launch, (s) => clock.log(s)) : await launch();
let results: Results & { warm?: WarmResult | null };
try {
  clock.log(`bench: Chromium ${browser.version()}, ${cpus().length} CPUs; origin ${site.origin.url}; edges a ${site.a.url}`);
  const size = sizes();
  clock.log('size:', size.files.map((f) => `${f.path} ${f.gzip} B gzip`).join(', '));
  const opts = { repeats, failoverRepeats, cutoff };
  // §2 runs whenever §3/4 do: their ratios are to its plain origin page.
  const images = only.has('2') || only.has('3') ? await imagePages(browser, site, clock, opts) : [];
  const probe = only.has('6') ? await probeAccuracy(browser, site, clock, Math.min(repeats, 3)) : [];
  const rr = only.has('7') ? await roundRobin(browser, site, clock, Math.min(repeats, 3), cutoff) : null;
  const bind = only.has('5') ? await binding(browser, site, clock, [1000, 5000], repeats) : [];
  const fail = only.has('3') ? await failover(browser, site, clock, opts) : [];
  const rules = only.has('8') ? await manifests(browser, site, clock, manifestImages, repeats) : [];
  const fv = only.has('9') ? await firstVisit(browser, clock, fvOptions) : null;
  const previous = [...only].every((s) => s === '9' || s === '12') && existsSync('bench/results.json') ? (JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results) : null;
  const baseline = baselineLoader(baselineArg < 0 ? undefined : process.argv[baselineArg + 1]);
  if (only.has('10') && !baseline) clock.log('detector: no baseline build found (git); this build only');
  const det = only.has('10') ? await detector(browser, site, clock, Math.min(repeats, 3), Math.max(cutoff, 30000), baseline) : [];
  const worker = only.has('11') ? await workerNavigation(browser, site, clock, repeats, cutoff) : [];
  const warm = only.has('12') ? await warmCost(browser, clock, repeats, baselineArg < 0 ? undefined : process.argv[baselineArg + 1], list('warm-only'), option('warm-images', 40)) : null;
  results = {
    date: new Date().toISOString(),
    durationMs: clock.elapsed(),
    environment: { chromium: browser.version(), node: process.version, cpus: cpus().length },
    settings: { latencyMs: LATENCY, images: IMAGES, repeats, failoverRepeats, cutoffMs: cutoff, budgetMs: budget },
    size,
    images,
    failover: fail,
    binding: bind,
    manifests: rules,
    probe,
    roundRobin: rr,
    firstVisit: fv,
    detector: det,
    worker,
    warm,
  };
  if (previous) results = { ...previous, ...(fv && { firstVisit: fv }), ...(warm && { warm }) };
} finally {
  await browser.close();
  await site.close();
  clearTimeout(watchdog);
}

writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
process.stdout.write(table(results) + warmTable(results.warm));
clock.log(`bench: done in ${(clock.elapsed() / 1000).toFixed(0)} s; results in bench/results.json`);
