// `npm run bench`: starts a loopback origin and three edges with injected latency, drives Chromium,
// and prints one table (stdout; progress goes to stderr). Every figure is a median over repeated
// runs, every comparison a ratio of two medians measured in this same run. Also writes
// bench/results.json. Options: --repeats N (default 5), --failover-repeats N (3), --cutoff MS
// (15000, per page), --budget S (240: later repetitions are dropped rather than overrun it; a
// watchdog ends the run 50 s past it),
// --only 1,2,5 (some sections; 3 and 4 run together; 8 is the service worker).
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { launch } from './browser.js';
import { binding, type BindResult } from './binding.js';
import { IMAGES, failover, imagePages, type Series } from './pageLoad.js';
import { probeAccuracy, type ProbeResult } from './probeAccuracy.js';
import { WEIGHTS, roundRobin, type RoundRobinResult } from './roundRobin.js';
import { ASSETS_RETRY_FILE, sizes, type FileSize, type SizeReport } from './size.js';
import { FAULTS, LATENCY, startSite } from './site.js';
import { WORKER_IMAGES, workerNavigation, type WorkerSeries } from './serviceWorker.js';
import { Clock, fmt, ratio } from './stats.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 1) throw new Error(`bench: --${name} wants a positive number, got ${JSON.stringify(process.argv[i + 1])}`);
  return v;
}

const repeats = option('repeats', 5);
const failoverRepeats = option('failover-repeats', 3);
const cutoff = option('cutoff', 15000);
const budget = option('budget', 240) * 1000;
const clock = new Clock(budget);
const onlyArg = process.argv.indexOf('--only');
const only = new Set(onlyArg < 0 ? ['1', '2', '3', '4', '5', '6', '7', '8'] : (process.argv[onlyArg + 1] ?? '').split(','));
if (only.has('3') || only.has('4')) only.add('3').add('4');

// However a step hangs, the benchmark ends: 50 s past its budget it gives up.
const watchdog = setTimeout(() => {
  clock.log('bench: still running 50 s past the time budget; giving up');
  process.exit(2);
}, budget + 50000);

const site = await startSite();
const browser = await launch();
let results: Results;
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
  const worker = only.has('8') ? await workerNavigation(browser, site, clock, repeats, cutoff) : [];
  results = {
    date: new Date().toISOString(),
    durationMs: clock.elapsed(),
    environment: { chromium: browser.version(), node: process.version, cpus: cpus().length },
    settings: { latencyMs: LATENCY, images: IMAGES, repeats, failoverRepeats, cutoffMs: cutoff, budgetMs: budget },
    size,
    images,
    failover: fail,
    binding: bind,
    probe,
    roundRobin: rr,
    worker,
  };
} finally {
  await browser.close();
  await site.close();
  clearTimeout(watchdog);
}

writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
process.stdout.write(table(results));
clock.log(`bench: done in ${(clock.elapsed() / 1000).toFixed(0)} s; results in bench/results.json`);

interface Results {
  date: string;
  durationMs: number;
  environment: { chromium: string; node: string; cpus: number };
  settings: { latencyMs: typeof LATENCY; images: number; repeats: number; failoverRepeats: number; cutoffMs: number; budgetMs: number };
  size: SizeReport;
  images: Series[];
  failover: Series[];
  binding: BindResult[];
  probe: ProbeResult[];
  roundRobin: RoundRobinResult | null;
  worker: WorkerSeries[];
}

/** The one table: § | measure | cdn-loader | ratio | assets-retry | ratio. */
function table(r: Results): string {
  const rows: string[][] = [];
  const row = (...cells: string[]) => rows.push([...cells, '', '', '', '', ''].slice(0, 6));
  const kb = (f: FileSize | undefined) => (!f || f.missing ? 'missing' : `${fmt(f.bytes)} / ${fmt(f.gzip)} / ${fmt(f.brotli)} B`);
  const budgetNote = (f: FileSize | undefined) =>
    !f || f.missing || f.limit === null
      ? ''
      : f.over
        ? `OVER gzip budget ${fmt(f.limit)} by ${fmt(f.gzip - f.limit)}`
        : `within gzip budget ${fmt(f.limit)}` + (f.goal !== null ? (f.gzip <= f.goal ? `, under goal ${fmt(f.goal)}` : `, goal ${fmt(f.goal)}`) : '');
  const retry = r.size.files.find((f) => f.path === ASSETS_RETRY_FILE);
  const js = r.size.files.find((f) => f.path === 'dist/cdn-loader.js');
  row('1', 'size dist/cdn-loader.js: minified / gzip -9 / brotli', kb(js), budgetNote(js), kb(retry), retry && js && !js.missing ? `loader ${ratio(js.gzip, retry.gzip)} gzip` : '');
  for (const f of r.size.files.filter((f) => f.path !== ASSETS_RETRY_FILE && f !== js)) row('1', `size ${f.path}`, kb(f), budgetNote(f));

  const series = (list: Series[], key: string) => list.find((s) => s.key === key);
  const ms = (s: Series | undefined) =>
    !s ? 'not run' : s.median === null ? `cut-off ${fmt(r.settings.cutoffMs / 1000)} s (${fmt(s.loaded)}/${IMAGES} loaded)` : `${fmt(s.median)} ms`;
  const n = (s: Series | undefined) => (s ? ` (n=${s.samples.length})` : '');
  const origin = series(r.images, 'origin');
  const edge = series(r.images, 'edge');
  const vs = (s: Series | undefined) => (s?.median == null ? '' : `${ratio(s.median, origin?.median ?? null)} origin`);
  if (r.images.length) {
    row('2', `all ${IMAGES} images: plain page, src at the origin${n(origin)}`, ms(origin), '1.00× origin');
    row('2', `plain page, src straight at edge a — the limit${n(edge)}`, ms(edge), vs(edge));
    for (const [key, label] of [
      ['loader/first', 'loader page (data-cdn-src), first page'],
      ['loader/next', 'loader page, next page (manifest and health cached)'],
    ]) {
      const s = series(r.images, key);
      row('2', `${label}${n(s)}`, ms(s), s?.median == null ? '' : `${vs(s)}, ${ratio(s.median, edge?.median ?? null)} edge`);
    }
  }
  if (r.failover.length)
    for (const f of FAULTS)
      for (const page of ['first', 'next']) {
        const l = series(r.failover, `${f.name}/cdn-loader/${page}`);
        const a = series(r.failover, `${f.name}/assets-retry/${page}`);
        row('3,4', `${f.label}, ${page} page${n(l)}`, ms(l), vs(l), ms(a), vs(a));
      }
  for (const b of r.binding) {
    row(
      '5',
      `bind ${fmt(b.n)} elements: observer callback, inserted → all bound (n=${b.loader.length})`,
      `${fmt(b.observerMs, 1)} ms, ${fmt(b.observerUsPerElement, 1)} µs/element`,
      `minimal binder ${fmt(b.plainObserverMs, 1)} ms (loader ${ratio(b.observerMs, b.plainObserverMs)})`,
    );
    row(
      '5',
      `bind ${fmt(b.n)} elements: insert → main thread free (incl. starting ${fmt(b.n)} requests)`,
      `${fmt(b.loaderMs, 1)} ms`,
      `minimal binder ${fmt(b.plainMs, 1)} ms (loader ${ratio(b.loaderMs, b.plainMs)}, ${b.extraMs >= 0 ? '+' : ''}${fmt(b.extraUsPerElement, 1)} µs/element)`,
    );
  }
  for (const p of r.probe)
    row(
      '6',
      `probe accuracy, edge +${p.delay} ms (${p.pings.length} pings${p.failed ? `, ${p.failed} failed` : ''})`,
      `|error| ${fmt(p.pingError, 1)} ms per ping`,
      `measured ${fmt(p.pingMedian, 1)} ms; smoothed |error| ${fmt(p.smoothedError, 1)} ms`,
    );
  const rr = r.roundRobin;
  if (rr) {
    const w = Object.entries(WEIGHTS)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    row(
      '7',
      `round-robin, ${IMAGES} resources, weights ${w} (n=${rr.maxDeviation.length})`,
      `max deviation ${fmt(rr.medianMaxDeviation, 2)} resources`,
      `over every prefix ${fmt(rr.medianMaxPrefixDeviation, 2)}; served ${JSON.stringify(rr.counts[0] ?? {})}${rr.errors ? `; ${rr.errors} fallbacks/errors` : ''}`,
    );
  }

  const without = r.worker.find((w) => w.key === 'without');
  for (const w of r.worker)
    row(
      '8',
      `second navigation, all ${WORKER_IMAGES} images: ${w.label} (n=${w.samples.length})`,
      w.median === null ? 'cut off' : `${fmt(w.median)} ms`,
      `${ratio(w.median, without?.median ?? null)} without; from ${JSON.stringify(w.sources)}`,
    );

  const head = ['§', 'measure', 'cdn-loader', 'ratio / note', 'assets-retry', 'ratio / note'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((x) => x[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const s = r.settings;
  return [
    `cdn-loader benchmark — Chromium ${r.environment.chromium}, ${r.environment.cpus} CPUs, Node ${r.environment.node}; took ${fmt(r.durationMs / 1000)} s`,
    `latency per request: origin ${s.latencyMs.origin} ms, edges a ${s.latencyMs.a}, b ${s.latencyMs.b}, c ${s.latencyMs.c} ms; medians of n runs; cut-off ${fmt(s.cutoffMs / 1000)} s per page`,
    `§3,4: cdn-loader's manifest and assets-retry's domain list both name edge a, then the origin; ratios are to the plain origin page (§2)`,
    '',
    line(head),
    line(widths.map((x) => '-'.repeat(x))),
    ...rows.map(line),
    '',
  ].join('\n');
}
