// The benchmark's table, from its results: printed by `npm run bench`, and written into docs/benchmark.md
// from bench/results.json by `npm run docs`.
import type { BindResult } from './binding.js';
import type { ManifestResult } from './manifests.js';
import { firstVisitTables, type FirstVisitResult } from './firstVisit.js';
import type { DetectorResult } from './detector.js';
import { WORKER_IMAGES, type WorkerSeries } from './serviceWorker.js';
import { IMAGES, type Series } from './pageLoad.js';
import type { ProbeResult } from './probeAccuracy.js';
import { WEIGHTS, type RoundRobinResult } from './roundRobin.js';
import { ASSETS_RETRY_FILE, type FileSize, type SizeReport } from './size.js';
import { FAULTS, type LATENCY } from './site.js';
import { fmt, ratio } from './stats.js';

/** bench/results.json. */
export interface Results {
  date: string;
  durationMs: number;
  environment: { chromium: string; node: string; cpus: number };
  settings: { latencyMs: typeof LATENCY; images: number; repeats: number; failoverRepeats: number; cutoffMs: number; budgetMs: number };
  size: SizeReport;
  images: Series[];
  failover: Series[];
  binding: BindResult[];
  manifests?: ManifestResult[];
  firstVisit?: FirstVisitResult | null;
  detector?: DetectorResult[];
  worker?: WorkerSeries[];
  probe: ProbeResult[];
  roundRobin: RoundRobinResult | null;
}

/** The one table: § | measure | cdn-loader | ratio | assets-retry | ratio (markdown, so docs/benchmark.md shows it as printed). */
export function table(r: Results): string {
  const rows: string[][] = [];
  const row = (...cells: string[]) => rows.push([...cells, '', '', '', '', ''].slice(0, 6));
  const kb = (f: FileSize | undefined) => (!f || f.missing ? 'missing' : `${fmt(f.bytes)} / ${fmt(f.gzip)} / ${fmt(f.brotli)} B`);
  const budgetNote = (f: FileSize | undefined) =>
    !f || f.missing || f.limit === null
      ? ''
      : f.over
        ? `OVER gzip budget ${fmt(f.limit)} by ${fmt(f.gzip - f.limit)}`
        : `within gzip budget ${fmt(f.limit)}`;
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

  const one = r.manifests?.find((m) => m.rules === 1);
  for (const m of r.manifests ?? [])
    row(
      '8',
      `bind ${fmt(m.n)} images, manifest of ${m.kind}: insert → main thread free (n=${m.total.length})`,
      `${fmt(m.totalMs, 1)} ms (observer ${fmt(m.observerMs, 1)} ms)`,
      m === one ? '' : `${ratio(m.totalMs, one?.totalMs ?? null)} 1 rule (observer ${ratio(m.observerMs, one?.observerMs ?? null)})`,
    );

  for (const d of (r.detector ?? []).filter((x) => x.build === 'this')) {
    const base = r.detector!.find((x) => x.key === d.key && x.build === 'baseline');
    const plain = r.detector!.find((x) => x.key === d.key && x.build === 'plain origin page');
    const desc = (x: DetectorResult) =>
      `${x.perResource === null ? '—' : fmt(x.perResource, 2)} req/resource, origin ${x.originShare === null ? '—' : fmt(100 * x.originShare)} %, ${fmt(x.edgesDown ?? 0)} edge(s) down, main thread ${fmt(x.mainThreadMs ?? 0)} ms, all shown ${x.ms === null ? 'cut off' : fmt(x.ms) + ' ms'}`;
    row('10', `${d.label} (n=${d.runs.length})`, desc(d), plain ? `${ratio(d.ms, plain.ms)} plain origin page (${plain.ms === null || d.ms === null ? '—' : (d.ms - plain.ms >= 0 ? '+' : '') + fmt(d.ms - plain.ms) + ' ms'})` : '', base ? `baseline: ${desc(base)}` : '', base ? `time ${ratio(d.ms, base.ms)}, main thread ${ratio(d.mainThreadMs, base.mainThreadMs)} baseline` : '');
  }

  const without = r.worker?.find((w) => w.key === 'without');
  for (const w of r.worker ?? [])
    row(
      '11',
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
    `§10: the failure detector (issue 12); the assets-retry columns hold the baseline build (--baseline, default the merge-base with main)`,
    '',
    line(head),
    line(widths.map((x) => '-'.repeat(x))),
    ...rows.map(line),
    '',
    ...(r.firstVisit ? ['§9: first visit on an emulated network (origin 150 ms, edges 30 ms round trip; slow start; one shared downlink)', '', firstVisitTables(r.firstVisit)] : []),
  ].join('\n');
}
