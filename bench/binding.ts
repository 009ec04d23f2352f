// Section 5: main-thread cost of binding N elements. In one task the page marks `bind:start`,
// creates N `<img data-cdn-src>` and appends them at once, and marks `bind:inserted`. The loader's
// MutationObserver callback then runs in that task's microtask checkpoint and binds them all
// synchronously; `bind:bound` is marked in a microtask queued right after the append, which runs
// after the observer's. `bind:end` is marked in the next task (a MessageChannel message), when the
// main thread is free again: that span also holds the promise reactions the loader queued and the
// browser's own work of starting N image requests.
//
// The baseline page has no loader but a minimal binder doing the same DOM work: a MutationObserver
// that sets each new image's `src` to the same edge URL. The difference of the two start→end spans
// is what the loader's logic (matching, choosing, failover bookkeeping) costs on top of that;
// inserted→bound is the loader's observer callback alone.
import type { Browser } from '@playwright/test';
import { newContext } from './browser.js';
import { html, loaderTag, type Site } from './site.js';
import { median, type Clock } from './stats.js';

export interface BindResult {
  n: number;
  /** bind:start → bind:end on the baseline page (a minimal binder), per run. */
  plain: number[];
  /** bind:start → bind:end with the loader, per run. */
  loader: number[];
  /** bind:inserted → bind:bound with the loader: its MutationObserver callback. */
  observer: number[];
  /** The same span on the baseline page: the minimal binder's callback. */
  plainObserver: number[];
  /** Medians. */
  plainMs: number;
  loaderMs: number;
  observerMs: number;
  plainObserverMs: number;
  /** loaderMs − plainMs, and per element in µs. */
  extraMs: number;
  extraUsPerElement: number;
  observerUsPerElement: number;
}

interface Measured {
  total: number;
  observer: number;
  boundCount: number;
}

/** The baseline's binder: the least any script must do to point N images at an edge. */
const minimalBinder = (edge: string) =>
  `<script>new MutationObserver(function (rs) { rs.forEach(function (r) { r.addedNodes.forEach(function (n) {` +
  ` if (n.nodeType === 1 && n.hasAttribute('data-cdn-src')) n.src = ${JSON.stringify(edge)} + n.getAttribute('data-cdn-src'); }); }); })` +
  `.observe(document.documentElement, { childList: true, subtree: true });</script>`;

/** Runs in the page: inserts n images in one task and reads the performance marks. */
export async function insert(n: number): Promise<Measured> {
  const box = document.getElementById('box')!;
  performance.clearMarks();
  performance.clearMeasures();
  performance.mark('bind:start');
  const frag = document.createDocumentFragment();
  for (let i = 0; i < n; i++) {
    const img = document.createElement('img');
    img.setAttribute('data-cdn-src', `/images/bind/${i}.png`);
    frag.appendChild(img);
  }
  box.appendChild(frag);
  performance.mark('bind:inserted');
  await Promise.resolve();
  performance.mark('bind:bound');
  let boundCount = 0;
  for (const el of Array.from(box.children)) if (el.hasAttribute('src')) boundCount++;
  await new Promise<void>((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
  performance.mark('bind:end');
  return {
    total: performance.measure('bind:total', 'bind:start', 'bind:end').duration,
    observer: performance.measure('bind:observer', 'bind:inserted', 'bind:bound').duration,
    boundCount,
  };
}

export async function binding(browser: Browser, site: Site, clock: Clock, sizes: number[], repeats: number): Promise<BindResult[]> {
  const { origin, a, b, c } = site.servers;
  const manifest = site.manifest('/m/bind.json', {
    origin: origin.url,
    edges: [a, b, c].map((s) => ({ id: s.name, url: s.url })),
    assets: ['/images/'],
  });
  const withLoader = site.page('/b/loader.html', html(loaderTag(manifest), '<div id="box" hidden></div>'));
  const plain = site.page('/b/plain.html', html(minimalBinder(a.url), '<div id="box" hidden></div>'));
  const ctx = await newContext(browser);
  const out: BindResult[] = [];
  try {
    for (const n of sizes) {
      const runs = { plain: [] as number[], loader: [] as number[], observer: [] as number[], plainObserver: [] as number[] };
      for (let rep = 1; rep <= repeats; rep++) {
        if (rep > 1 && !clock.fits(15000)) break;
        for (const loader of [false, true]) {
          // A fresh page each time; closing it cancels the n image requests it started.
          const page = await ctx.newPage();
          try {
            await page.goto(loader ? withLoader : plain);
            if (loader) {
              await page.waitForFunction(() => (window as unknown as { CDNLoader?: { edges(): unknown[] } }).CDNLoader?.edges().length);
              await page.evaluate(() => (window as unknown as { CDNLoader: { probe(): Promise<unknown> } }).CDNLoader.probe());
            }
            const m = await page.evaluate(insert, n);
            if (m.boundCount !== n) throw new Error(`binding: only ${m.boundCount} of ${n} images were bound within the task`);
            if (loader) {
              runs.loader.push(m.total);
              runs.observer.push(m.observer);
            } else {
              runs.plain.push(m.total);
              runs.plainObserver.push(m.observer);
            }
            clock.log(`binding ${n} ${rep}/${repeats} ${loader ? 'loader' : 'minimal binder'}: ${m.total.toFixed(1)} ms (observer ${m.observer.toFixed(1)} ms)`);
          } finally {
            await page.close();
          }
        }
      }
      const plainMs = median(runs.plain) ?? 0;
      const loaderMs = median(runs.loader) ?? 0;
      out.push({
        n,
        ...runs,
        plainMs,
        loaderMs,
        observerMs: median(runs.observer) ?? 0,
        plainObserverMs: median(runs.plainObserver) ?? 0,
        extraMs: loaderMs - plainMs,
        extraUsPerElement: ((loaderMs - plainMs) * 1000) / n,
        observerUsPerElement: ((median(runs.observer) ?? 0) * 1000) / n,
      });
    }
  } finally {
    await ctx.close();
  }
  return out;
}
