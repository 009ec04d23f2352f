// Section 12: what the runtime costs the main thread of a visit (issue 14, "the loader adds nothing a
// user can feel"). A page of 40 plain <img src>, 2 stylesheets at edge a and 3 scripts at the end of <body>
// (placeholders with the loader; plain at edge a without), opened three times in a fresh
// context on loopback (no injected latency), each navigation traced: the first (cold: nothing cached, and
// edge a holds each image HOLD ms, so the runtime finds them loading, as on a real first visit), the
// second (warm: every file from the HTTP cache, the edges' health remembered) and the third (hot: Chromium
// now has the runtime's code cache). Variants run interleaved, their order turning with every repetition: the plain page, the inline
// boot alone, the split (boot + `<script async>` runtime at the end of <body>), and the split of the
// --baseline revision (its dist/ boot and runtime, read with git); the same for a `data-cdn-*` page.
import { splitAt } from './baseline.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { fmt, median, ratio, type Clock } from './stats.js';

export interface WarmSeries {
  key: string;
  label: string;
  /** Medians of the cold (first) visit, in ms; `warm`: of the second; `hot`: of the third. */
  cold: WarmTimes;
  warm: WarmTimes;
  hot: WarmTimes;
  /** The median of its runtime's task over the baseline's in the same repetition (cold, warm, hot); a `-base` variant's own key without `-base`. */
  paired?: [number | null, number | null, number | null];
}

/** One visit, in ms (traced: Chrome's tracing slows the main thread alike for every variant). */
export interface WarmTimes {
  /** The task that ran the runtime's script (null: no runtime); `runtime`: its evaluation, with the microtasks at its end; `cache`: V8's code cache made in it; `compile`: V8 compiling its functions in it (lazily, at their first call). */
  task: number | null;
  runtime: number | null;
  cache: number | null;
  compile: number | null;
  /** `runtime` without `cache`: the runtime's own work. */
  own: number | null;
  /** Every main-thread task of the visit, summed; the longest of them. */
  busy: number | null;
  longest: number | null;
  /** `load` (from navigation start). */
  load: number | null;
  /** The inline boot's main-thread time: its evaluation and every call into it (its MutationObserver's callbacks, its listeners). */
  boot?: number | null;
}

export interface WarmResult {
  baseline: string | null;
  images: number;
  repeats: number;
  series: WarmSeries[];
}


/** How long edge a holds each image on the first visit (ms); the manifest's deadline is 3 s, so none is hedged. */
const HOLD = 300;

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const listen = (handle: (path: string) => [string, string | Buffer, boolean?], hold = 0): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer((q, r) => {
      const path = new URL(q.url!, 'http://x').pathname;
      const [type, body, fresh] = handle(path);
      r.writeHead(200, { 'content-type': type, 'cache-control': fresh ? 'no-cache' : 'max-age=3600' });
      // The page's images only (cached for an hour: only the first visit asks); not the probes, whose
      // latency would then send the next visits to edge b.
      setTimeout(() => r.end(body), path.startsWith('/img/') ? hold : 0);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

const bare = (js: string) => js.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '').trim();

export async function warmCost(browser: Browser, clock: Clock, repeats: number, rev?: string, only?: string[], images = 40): Promise<WarmResult> {
  const build = { boot: readFileSync('dist/cdn-loader-boot.js', 'utf8'), runtime: readFileSync('dist/cdn-loader-runtime.js', 'utf8') };
  const base = splitAt(rev);
  if (!base) clock.log('warm visit: no baseline build found (git); this build only');
  const servers: Server[] = [];
  const a = await listen((path) => (/\.css$/.test(path) ? ['text/css', 'body{margin:0}'] : /\.js$/.test(path) ? ['text/javascript', 'window.__ran=(window.__ran||0)+1'] : ['image/png', PNG]), HOLD);
  const b = await listen(() => ['image/png', PNG]);
  servers.push(a, b);
  // (Its origin is the pages' server, started below.)
  // A 3 s deadline: the cold visit's 42 requests queue on six connections behind images held HOLD ms, and
  // under load a gap between two batches passed the shortest deadline (400 ms) and sent images to edge b.
  const manifest = JSON.stringify({ origin: 'ORIGIN', edges: [{ id: 'a', url: urlOf(a) }, { id: 'b', url: urlOf(b) }], assets: ['/img/', '/css/', '/js/'], failover: { timeout: 3000 } });
  // `plain`: the tag marked as the tools mark a page of plain image and stylesheet URLs (cli/rewrite.ts).
  const boot = (js: string, plain?: boolean) =>
    `<script type="application/json" id="cdn-manifest">${manifest.replace('ORIGIN', origin)}</script><script data-manifest="#cdn-manifest"${plain ? ' data-plain' : ''}>${bare(js)}</script>`;
  // Three scripts at the end of <body>: placeholders with the loader (its boot preloads them), plain at edge a without.
  const scripts = (plain: boolean) => [1, 2, 3].map((i) => (plain ? `<script src="${urlOf(a)}/js/${i}.js"></script>` : `<script data-cdn-src="/js/${i}.js"></script>`)).join('');
  const page = (head: string, attr: string, tail: string) =>
    `<!doctype html><html><head><meta charset=utf-8>${head}<link rel=stylesheet ${attr === 'src' ? 'href' : 'data-cdn-href'}="${urlOf(a)}/css/1.css"><link rel=stylesheet ${attr === 'src' ? 'href' : 'data-cdn-href'}="${urlOf(a)}/css/2.css"></head><body>` +
    Array.from({ length: images }, (_, i) => `<p>${'lorem ipsum '.repeat(20)}</p><img ${attr}="${urlOf(a)}/img/${i}.png" width=10 height=10 alt="">`).join('\n') +
    `${scripts(!head)}${tail}</body></html>`;
  const split = (which: 'new' | 'base') => `<script async src="/runtime-${which}.js"></script>`;
  const variants: [string, string, (which: typeof build) => string][] = [
    ['plain', 'plain URLs at edge a, no loader', () => page('', 'src', '')],
    // (No runtime saves the edges' health here: this boot watches the whole parser on every visit, and its script placeholders never run.)
    ['boot', 'the same with the inline manifest and boot alone', (w) => page(boot(w.boot, true), 'src', '')],
    ['split', 'the split: boot + runtime async at the end of <body> (runtime watches the plain URLs)', (w) => page(boot(w.boot, true), 'src', split('new'))],
    ['cdn-boot', 'data-cdn-* images and stylesheets, inline manifest and boot alone', (w) => page(boot(w.boot), 'data-cdn-src', '')],
    ['cdn-split', 'data-cdn-* with the split', (w) => page(boot(w.boot), 'data-cdn-src', split('new'))],
  ];
  if (base)
    variants.push(
      ['split-base', 'split, --baseline build', () => page(boot(base.boot, true), 'src', split('base'))],
      ['cdn-split-base', 'data-cdn-* split, --baseline build', () => page(boot(base.boot), 'data-cdn-src', split('base'))],
    );
  if (only) variants.splice(0, variants.length, ...variants.filter(([key]) => only.includes(key)));
  const html = new Map<string, string>();
  const originServer = await listen((path) => {
    if (path.startsWith('/runtime-')) return ['text/javascript', bare(path.includes('base') ? base!.runtime : build.runtime)];
    return ['text/html', html.get(path) ?? '', true];
  });
  const origin = urlOf(originServer);
  // The base variants' pages carry the baseline boot; the others this build's.
  for (const [key, , make] of variants) html.set(`/${key}.html`, make(key.endsWith('-base') ? base! : build));
  servers.push(originServer);

  const runs = new Map<string, Record<Visit, WarmTimes>[]>();
  try {
    for (let rep = 1; rep <= repeats; rep++) {
      if (rep > 1 && !clock.fits(15000)) {
        clock.log(`warm visit: time budget: stopping after ${rep - 1} repetitions`);
        break;
      }
      for (const [key] of variants.map((_, i) => variants[(i + rep) % variants.length])) {
        const ctx = await browser.newContext();
        try {
          const p = await ctx.newPage();
          const url = `${origin}/${key}.html`;
          const cold = await visit(browser, p, url, url);
          // A returning visit: the first page's probes have answered (its edges' health is remembered).
          if (key.includes('split')) await p.waitForFunction(() => !!localStorage.getItem('cdn-loader:health'), undefined, { timeout: 10000 }).catch(() => {});
          const warm = await visit(browser, p, url + '?warm', url);
          const hot = await visit(browser, p, url + '?hot', url);
          runs.set(key, [...(runs.get(key) ?? []), { cold, warm, hot }]);
          const show = (t: WarmTimes) => `${fmt(t.task ?? 0, 1)} / ${fmt(t.boot ?? 0, 1)} / ${fmt(t.busy ?? 0, 1)} / ${fmt(t.load ?? 0, 1)}`;
          clock.log(`main-thread cost ${key} #${rep}: the runtime's task / the boot / main thread busy / load, ms: cold ${show(cold)}, warm ${show(warm)}, hot ${show(hot)}`);
        } finally {
          await ctx.close();
        }
      }
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
  const med = (l: Record<Visit, WarmTimes>[], when: Visit): WarmTimes => {
    const m = (k: keyof WarmTimes) => median(l.map((x) => x[when][k] ?? null));
    return { task: m('task'), runtime: m('runtime'), cache: m('cache'), compile: m('compile'), own: m('own'), busy: m('busy'), longest: m('longest'), load: m('load'), boot: m('boot') };
  };
  return {
    baseline: base ? rev ?? 'merge-base' : null,
    images,
    repeats,
    series: variants.map(([key, label]) => {
      const mine = runs.get(key) ?? [];
      const base = runs.get(key + '-base');
      const pair = (when: Visit) => median(mine.map((x, i) => (base?.[i] && x[when].task !== null && base[i][when].task ? x[when].task! / base[i][when].task! : null)));
      return { key, label, cold: med(mine, 'cold'), warm: med(mine, 'warm'), hot: med(mine, 'hot'), ...(base ? { paired: VISITS.map(pair) as [number | null, number | null, number | null] } : {}) };
    }),
  };
}

type Visit = 'cold' | 'warm' | 'hot';
const VISITS: Visit[] = ['cold', 'warm', 'hot'];

/** A trace event (Chrome's JSON trace format). */
type TraceEvent = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string; data?: { url?: string } } };

/** Events on `on` that ran the page's own inline scripts (`page`: its URL without the visit's query): outermost ones only. */
function inline(on: TraceEvent[], page: string): TraceEvent[] {
  const mine = on.filter((e) => (e.name === 'EvaluateScript' || e.name === 'FunctionCall') && e.args?.data?.url?.split('?')[0] === page);
  return mine.filter((e) => !mine.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur! >= e.ts + e.dur!));
}

/**
 * Opens `url` in `p` (the page already visited) under a trace of the main thread, waits for `load` and an
 * idle moment, and reads its times: the task that evaluated the runtime (its script, with the microtasks
 * run at its end, where the manifest is applied and the page scanned), and V8's code cache made in it;
 * and the inline boot's time (`page`: the page's URL).
 */
async function visit(browser: Browser, p: Page, url: string, page: string): Promise<WarmTimes> {
  await browser.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'disabled-by-default-v8.compile'] });
  await p.goto(url, { waitUntil: 'load' });
  const load = await p.evaluate(
    () =>
      new Promise<number>((resolve) =>
        requestIdleCallback(() => resolve((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventStart)),
      ),
  );
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const events = trace.traceEvents.filter((e) => e.ph === 'X' && e.dur !== undefined);
  const threads = new Set(trace.traceEvents.filter((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const evals = events.filter((e) => e.name === 'EvaluateScript' && threads.has(`${e.pid}:${e.tid}`));
  // The page's main thread: where its scripts ran (the boot's, the runtime's); the busiest renderer otherwise.
  const count = new Map<string, number>();
  for (const e of events) if (threads.has(`${e.pid}:${e.tid}`)) count.set(`${e.pid}:${e.tid}`, (count.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = evals[0] ? `${evals[0].pid}:${evals[0].tid}` : [...count].sort((x, y) => y[1] - x[1])[0]?.[0];
  const on = events.filter((e) => `${e.pid}:${e.tid}` === main);
  const tasks = on.filter((e) => e.name === 'RunTask');
  const rt = evals.find((e) => e.args?.data?.url?.includes('/runtime-'));
  const within = (e: TraceEvent, o: TraceEvent) => e.ts <= o.ts && e.ts + e.dur! >= o.ts + o.dur!;
  const task = rt && tasks.find((t) => within(t, rt));
  const sum = (name: string) => (rt ? on.filter((e) => e.name === name && within(rt, e)).reduce((s, e) => s + e.dur!, 0) / 1000 : null);
  const cache = sum('v8.produceCache');
  return {
    task: task ? task.dur! / 1000 : null,
    runtime: rt ? rt.dur! / 1000 : null,
    cache,
    compile: sum('V8.CompileCode'),
    own: rt ? rt.dur! / 1000 - cache! : null,
    busy: tasks.reduce((s, e) => s + e.dur!, 0) / 1000,
    longest: Math.max(0, ...tasks.map((e) => e.dur!)) / 1000,
    load,
    // (The pages' only inline script is the boot; the plain page has none.)
    boot: inline(on, page).reduce((s, e) => s + e.dur!, 0) / 1000,
  };
}

/** Its table (markdown), printed after the others. */
export function warmTable(r?: WarmResult | null): string {
  if (!r) return '';
  const rows = [
    '',
    `12. The runtime's main-thread cost on loopback (traced), ${r.images} images + 2 stylesheets at edge a + 3 scripts; medians of ${r.repeats}, ms (baseline: ${r.baseline ?? 'none'}; cold: the first visit, images held ${HOLD} ms at the edge; warm: the second, from the HTTP cache; hot: the third, V8's code cache in use)`,
    '',
    "| variant | visit | runtime's task | its script | compiled at first call | code cache made | its own work | the boot | main thread busy | longest task | load | load / boot | runtime's task / baseline's | paired |",
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const by = new Map(r.series.map((s) => [s.key, s]));
  const c = (n: number | null | undefined) => (n == null ? '–' : fmt(n, 1));
  for (const s of r.series)
    for (const when of VISITS) {
      const t = s[when];
      // (Results written before the cold visit was measured have none.)
      if (!t) continue;
      const boot = by.get(s.key.startsWith('cdn') ? 'cdn-boot' : 'boot')?.[when].load ?? null;
      const base = by.get(s.key + '-base')?.[when].task;
      // (Results written before the cold visit was measured pair [warm, hot].)
      const pairs: (number | null)[] | undefined = s.paired;
      const paired = pairs?.[pairs.length === 2 ? VISITS.indexOf(when) - 1 : VISITS.indexOf(when)];
      rows.push(
        `| ${s.key} | ${when} | ${c(t.task)} | ${c(t.runtime)} | ${c(t.compile)} | ${c(t.cache)} | ${c(t.own)} | ${c(t.boot)} | ${c(t.busy)} | ${c(t.longest)} | ${c(t.load)} | ${ratio(t.load, boot)} | ${base === undefined ? '' : ratio(t.task, base)} | ${paired == null ? '' : paired.toFixed(2) + '×'} |`,
      );
    }
  return rows.join('\n') + '\n';
}
