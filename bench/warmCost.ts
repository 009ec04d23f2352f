// Section 12: what the runtime costs the main thread of a returning visit (issue 14, "the loader adds
// nothing a user can feel"). A page of 40 plain <img src> and 2 stylesheets at edge a, opened twice in a
// fresh context on loopback (no injected latency): the second navigation (warm: every file from the HTTP
// cache, the edges' health remembered) is measured, and a third (hot: Chromium now has the runtime's code
// cache). Variants run interleaved, their order turning with every repetition: the plain page, the inline
// boot alone, the split (boot + `<script async>` runtime at the end of <body>), and the split of the
// --baseline revision (its dist/ boot and runtime, read with git); the same for a `data-cdn-*` page.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { fmt, median, ratio, type Clock } from './stats.js';

export const WARM_IMAGES = 40;

export interface WarmSeries {
  key: string;
  label: string;
  /** Medians of the warm (second) visit, in ms; `hot`: of the third. */
  warm: WarmTimes;
  hot: WarmTimes;
}

/** One visit: the runtime's script (first statement to last, microtasks excluded), main-thread script and task time, longest task, total blocking time, `load`. */
export interface WarmTimes {
  runtime: number | null;
  script: number | null;
  task: number | null;
  longest: number | null;
  blocking: number | null;
  load: number | null;
}

export interface WarmResult {
  baseline: string | null;
  repeats: number;
  series: WarmSeries[];
}

/** A dist/ file of git revision `rev` (default: where this branch left main), or null. */
function distAt(file: string, rev?: string): string | null {
  try {
    const base = rev ?? execFileSync('git', ['merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim();
    return execFileSync('git', ['show', `${base}:dist/${file}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  } catch {
    return null;
  }
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const listen = (handle: (path: string) => [string, string | Buffer, boolean?]): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer((q, r) => {
      const [type, body, fresh] = handle(new URL(q.url!, 'http://x').pathname);
      r.writeHead(200, { 'content-type': type, 'cache-control': fresh ? 'no-cache' : 'max-age=3600' });
      r.end(body);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

/** Runs in the page before anything: keeps its long tasks. */
const OBSERVE = `<script>window.__long=[];try{new PerformanceObserver(function(l){l.getEntries().forEach(function(e){__long.push(e.duration)})}).observe({type:'longtask',buffered:true})}catch(e){}</script>`;
/** The runtime as served: marks around its evaluation. */
const timed = (js: string) => `performance.mark('cdn-rt0');\n${js.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '')}\n;performance.mark('cdn-rt1');\n`;

export async function warmCost(browser: Browser, clock: Clock, repeats: number, rev?: string): Promise<WarmResult> {
  const build = { boot: readFileSync('dist/cdn-loader-boot.js', 'utf8'), runtime: readFileSync('dist/cdn-loader-runtime.js', 'utf8') };
  const baseBoot = distAt('cdn-loader-boot.js', rev);
  const baseRuntime = distAt('cdn-loader-runtime.js', rev);
  const base = baseBoot && baseRuntime ? { boot: baseBoot, runtime: baseRuntime } : null;
  if (!base) clock.log('warm visit: no baseline build found (git); this build only');
  const edges: Server[] = [];
  const a = await listen((path) => (/\.css$/.test(path) ? ['text/css', 'body{margin:0}'] : ['image/png', PNG]));
  const b = await listen(() => ['image/png', PNG]);
  edges.push(a, b);
  const manifest = JSON.stringify({ origin: 'ORIGIN', edges: [{ id: 'a', url: urlOf(a) }, { id: 'b', url: urlOf(b) }], assets: ['/img/', '/css/'] });
  const boot = (js: string) => `<script type="application/json" id="cdn-manifest">${manifest.replace('ORIGIN', origin)}</script><script data-manifest="#cdn-manifest">${js.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '').trim()}</script>`;
  const page = (head: string, attr: string, tail: string) =>
    `<!doctype html><html><head><meta charset=utf-8>${OBSERVE}${head}<link rel=stylesheet ${attr === 'src' ? 'href' : 'data-cdn-href'}="${urlOf(a)}/css/1.css"><link rel=stylesheet ${attr === 'src' ? 'href' : 'data-cdn-href'}="${urlOf(a)}/css/2.css"></head><body>` +
    Array.from({ length: WARM_IMAGES }, (_, i) => `<p>${'lorem ipsum '.repeat(20)}</p><img ${attr}="${urlOf(a)}/img/${i}.png" width=10 height=10 alt="">`).join('\n') +
    `${tail}</body></html>`;
  const split = (which: 'new' | 'base') => `<script async src="/runtime-${which}.js"></script>`;
  const variants: [string, string, (which: typeof build) => string][] = [
    ['plain', 'plain URLs at edge a, no loader', () => page('', 'src', '')],
    ['boot', 'the same with the inline manifest and boot alone', (w) => page(boot(w.boot), 'src', '')],
    ['split', 'the split: boot + runtime async at the end of <body> (runtime watches the plain URLs)', (w) => page(boot(w.boot), 'src', split('new'))],
    ['cdn-boot', 'data-cdn-* images and stylesheets, inline manifest and boot alone', (w) => page(boot(w.boot), 'data-cdn-src', '')],
    ['cdn-split', 'data-cdn-* with the split', (w) => page(boot(w.boot), 'data-cdn-src', split('new'))],
  ];
  if (base)
    variants.push(
      ['split-base', 'split, --baseline build', () => page(boot(base.boot), 'src', split('base'))],
      ['cdn-split-base', 'data-cdn-* split, --baseline build', () => page(boot(base.boot), 'data-cdn-src', split('base'))],
    );
  const html = new Map<string, string>();
  const originServer = await listen((path) => {
    if (path.startsWith('/runtime-')) return ['text/javascript', timed(path.includes('base') ? base!.runtime : build.runtime)];
    return ['text/html', html.get(path) ?? '', true];
  });
  const origin = urlOf(originServer);
  // The base variants' pages carry the baseline boot; the others this build's.
  for (const [key, , make] of variants) html.set(`/${key}.html`, make(key.endsWith('-base') ? base! : build));
  edges.push(originServer);

  const runs = new Map<string, { warm: WarmTimes; hot: WarmTimes }[]>();
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
          await p.goto(url, { waitUntil: 'load' });
          // A returning visit: the first page's probes have answered (its edges' health is remembered).
          if (key.includes('split')) await p.waitForFunction(() => !!localStorage.getItem('cdn-loader:health'), undefined, { timeout: 10000 }).catch(() => {});
          const warm = await visit(p, url + '?warm');
          const hot = await visit(p, url + '?hot');
          runs.set(key, [...(runs.get(key) ?? []), { warm, hot }]);
          clock.log(`warm visit ${key} #${rep}: runtime ${fmt(warm.runtime ?? 0, 1)} ms, tasks ${fmt(warm.task ?? 0, 1)} ms, longest ${fmt(warm.longest ?? 0, 1)} ms, load ${fmt(warm.load ?? 0, 1)} ms (hot: ${fmt(hot.runtime ?? 0, 1)} / ${fmt(hot.task ?? 0, 1)} / ${fmt(hot.load ?? 0, 1)})`);
        } finally {
          await ctx.close();
        }
      }
    }
  } finally {
    await Promise.all(edges.map((s) => new Promise((r) => s.close(r))));
  }
  const med = (l: { warm: WarmTimes; hot: WarmTimes }[], when: 'warm' | 'hot'): WarmTimes => {
    const m = (k: keyof WarmTimes) => median(l.map((x) => x[when][k]));
    return { runtime: m('runtime'), script: m('script'), task: m('task'), longest: m('longest'), blocking: m('blocking'), load: m('load') };
  };
  return {
    baseline: base ? rev ?? 'merge-base' : null,
    repeats,
    series: variants.map(([key, label]) => ({ key, label, warm: med(runs.get(key) ?? [], 'warm'), hot: med(runs.get(key) ?? [], 'hot') })),
  };
}

/** Opens `url` in `p` (the page already visited), waits for `load` and an idle moment, and reads its times. */
async function visit(p: Page, url: string): Promise<WarmTimes> {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const get = (n: string) => (metrics.find((m) => m.name === n)?.value ?? 0) * 1000;
    return { script: get('ScriptDuration'), task: get('TaskDuration') };
  };
  const before = await metrics();
  await p.goto(url, { waitUntil: 'load' });
  const inPage = await p.evaluate(
    () =>
      new Promise<{ runtime: number | null; longest: number; blocking: number; load: number }>((resolve) =>
        // After `load` has run to its end, once the main thread is idle.
        requestIdleCallback(() => {
          const rt = ['cdn-rt0', 'cdn-rt1'].map((n) => performance.getEntriesByName(n)[0]?.startTime);
          const long = (window as unknown as { __long: number[] }).__long;
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          resolve({
            runtime: rt[0] === undefined || rt[1] === undefined ? null : rt[1] - rt[0],
            longest: Math.max(0, ...long),
            blocking: long.reduce((s, d) => s + Math.max(0, d - 50), 0),
            load: nav.loadEventStart,
          });
        }),
      ),
  );
  const after = await metrics();
  await cdp.detach();
  return { ...inPage, script: after.script - before.script, task: after.task - before.task };
}

/** Its table (markdown), printed after the others. */
export function warmTable(r?: WarmResult | null): string {
  if (!r) return '';
  const rows = ['', `12. Warm visit on loopback, ${WARM_IMAGES} images + 2 stylesheets at edge a; medians of ${r.repeats} (baseline: ${r.baseline ?? 'none'}); ms`, ''];
  rows.push('| variant | visit | runtime script | main-thread script | main-thread tasks | longest task | blocking | load | load / boot | tasks / base |', '|---|---|---|---|---|---|---|---|---|---|');
  const by = new Map(r.series.map((s) => [s.key, s]));
  for (const s of r.series)
    for (const when of ['warm', 'hot'] as const) {
      const t = s[when];
      const bootKey = s.key.startsWith('cdn') ? 'cdn-boot' : 'boot';
      const baseKey = s.key.endsWith('split') ? s.key + '-base' : '';
      const c = (n: number | null) => (n === null ? '–' : fmt(n, 1));
      rows.push(
        `| ${s.key} | ${when} | ${c(t.runtime)} | ${c(t.script)} | ${c(t.task)} | ${c(t.longest)} | ${c(t.blocking)} | ${c(t.load)} | ${ratio(t.load, by.get(bootKey)?.[when].load ?? null)} | ${baseKey && by.has(baseKey) ? ratio(t.task, by.get(baseKey)![when].task) : ''} |`,
      );
    }
  return rows.join('\n') + '\n';
}
