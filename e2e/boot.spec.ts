// The split of issue 14: the boot inlined in <head> after an inline manifest, the runtime loaded
// async after it (docs/first-visit.md). Counts what each server received: nothing lost, nothing twice.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, events, settled, imageSources, type Site } from './fixtures.js';
import { sri, scriptBody, styleBody } from './servers.js';
import { compiles, traceCompiles } from './compiles.js';
import { holdRuntime } from './watched.js';

const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

interface SplitOptions {
  manifest?: object;
  /** Attributes of the runtime's tag (e.g. a nonce). */
  runtime?: string;
  /** The runtime's file: today's one-tag loader to compare with, or one that is not there. */
  src?: string;
  nonce?: string;
  /** Markup between the boot and the runtime. */
  between?: string;
  headers?: Record<string, string>;
  path?: string;
  /** No boot: the one-tag loader loaded async, as a page would without the split. */
  noBoot?: boolean;
}

/** Serves and opens a page with the manifest and the boot inline in <head> and the runtime async. */
async function openSplit(page: Page, site: Site, body: string, o: SplitOptions = {}) {
  const n = o.nonce ? ` nonce="${o.nonce}"` : '';
  const head =
    `<script type="application/json" id="cdn-manifest">${JSON.stringify(o.manifest ?? site.manifest())}</script>\n` +
    (o.noBoot ? '' : `<script${n} data-manifest="#cdn-manifest">${BOOT}</script>\n`) +
    (o.between ?? '') +
    `<script async${n} src="${o.src ?? '/cdn-loader-runtime.js'}" ${o.noBoot ? 'data-manifest="#cdn-manifest"' : ''} ${o.runtime ?? ''}></script>`;
  const path = o.path ?? '/page.html';
  site.origin.file(path, `<!doctype html><html><head><meta charset="utf-8"><title>split</title>\n${head}\n</head><body>\n${body}\n</body></html>`, 'text/html; charset=utf-8', o.headers);
  // Not waiting for the load event, which waits for the async runtime too.
  await page.goto(site.origin.url + path, { waitUntil: 'commit' });
}

/** Every path a server received more than once. */
const twice = (site: Site) =>
  [site.origin, ...site.edges].flatMap((s) => {
    const hits = s.hits((p) => /^\/(images|css|js)\//.test(p));
    return hits.filter((p, i) => hits.indexOf(p) !== i).map((p) => `${s.name}${p}`);
  });

const ran = (page: Page) => page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);

/** A page of 6 images (one a <picture> with srcset), a stylesheet and 3 ordered scripts with SRI. */
const PAGE = (dir = '/images/') =>
  Array.from({ length: 5 }, (_, i) => `<img id="i${i}" data-cdn-src="${dir}${i}.png" alt="">`).join('\n') +
  `<picture><source data-cdn-srcset="${dir}p.webp 1x, ${dir}p2.webp 2x" type="image/webp"><img id="p" data-cdn-src="${dir}p.png" alt=""></picture>` +
  `<link id="css" rel="stylesheet" data-cdn-href="/css/site.css">` +
  ['one', 'two', 'three'].map((s) => `<script data-cdn-src="/js/${s}.js"></script>`).join('');
const SETTLED = 10;
const withSri = (site: Site, extra: object = {}) =>
  site.manifest({
    assets: [
      '/images/',
      '/img2/',
      // Registered: only its missing nonce keeps it inert.
      '/js/evil.js',
      ...['one', 'two', 'three'].map((s) => ({ path: `/js/${s}.js`, integrity: sri(scriptBody(s)) })),
      { path: '/css/site.css', integrity: sri(styleBody('site')) },
    ],
    ...extra,
  });

test('healthy: every resource from the edge, each requested once, scripts once and in order with SRI', async ({ page, site }) => {
  await openSplit(page, site, PAGE(), { manifest: withSri(site) });
  const done = await settled(page, SETTLED);
  expect(done.every((e) => e.type === 'cdn:load' && e.source === 'a')).toBe(true);
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
  expect(await imageSources(page, site)).toEqual(Array(6).fill('a'));
  expect(twice(site)).toEqual([]);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 6, b: 0, c: 0 });
  expect(site.counts('/js/')).toEqual({ origin: 0, a: 3, b: 0, c: 0 });
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  // The runtime took over: one API, the boot's observer stopped.
  expect(await page.evaluate(() => typeof window.CDNLoader?.report)).toBe('function');
});

test('a manifest URL on the boot\'s tag: the boot starts nothing, the runtime everything, each once, on the next page too', async ({ page, site }) => {
  site.origin.file('/cdn-manifest.json', JSON.stringify(withSri(site)), 'application/json');
  for (const [path, dir] of [['/page.html', '/images/'], ['/next.html', '/img2/']]) {
    const head = `<script data-manifest="/cdn-manifest.json">${BOOT}</script><script async src="/cdn-loader-runtime.js"></script>`;
    site.origin.file(path, `<!doctype html><html><head><meta charset="utf-8"><title>url</title>${head}</head><body>${PAGE(dir)}</body></html>`, 'text/html; charset=utf-8');
    await page.goto(site.origin.url + path, { waitUntil: 'commit' });
    const done = await settled(page, SETTLED);
    // (One edge for all: `always` goes by the latencies measured on the first page.)
    expect(done.every((e) => e.type === 'cdn:load' && e.source !== 'origin' && e.source === done[0].source)).toBe(true);
    expect(await ran(page)).toEqual(['one', 'two', 'three']);
    // (The runtime cached the manifest on the first page: the boot still leaves it to the runtime.)
    expect(await page.evaluate(() => window.CDNBoot?.records.length)).toBe(0);
    // (The test servers answer no-store, so a next page on the same edge asks for the stylesheet and scripts again.)
    if (dir === '/images/') expect(twice(site)).toEqual([]);
  }
  expect(Object.values(site.counts('/img2/')).sort()).toEqual([0, 0, 0, 6]);
});

test('refused edge, first and next page: nothing lost, nothing twice', async ({ page, site }) => {
  await site.a.set({ fault: 'refuse' });
  await openSplit(page, site, PAGE(), { manifest: withSri(site) });
  const done = await settled(page, SETTLED);
  expect(done.map((e) => e.type + ':' + e.source)).toEqual(Array(SETTLED).fill('cdn:load:b'));
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
  expect(await imageSources(page, site)).toEqual(Array(6).fill('b'));
  expect(twice(site)).toEqual([]);
  // The next page: the boot remembers edge a down and starts on b.
  await openSplit(page, site, PAGE('/img2/'), { manifest: withSri(site), path: '/next.html' });
  const next = await settled(page, SETTLED);
  // (b or c: `always` goes by the latencies measured on the first page.)
  expect(next.every((e) => e.type === 'cdn:load' && e.source !== 'a' && e.source === next[0].source)).toBe(true);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(site.a.hits((p) => p.startsWith('/img2/'))).toEqual([]);
});

test('blackholed edge, first and next page: the runtime fails over what the boot started, from when it started', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' });
  const manifest = withSri(site, { failover: { timeout: 1000 } });
  await openSplit(page, site, PAGE(), { manifest });
  const done = await settled(page, SETTLED);
  expect(done.map((e) => e.type + ':' + e.source)).toEqual(Array(SETTLED).fill('cdn:load:b'));
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
  expect(await imageSources(page, site)).toEqual(Array(6).fill('b'));
  expect((await events(page, 'cdn:fallback')).every((e) => e.from === 'a' && e.to === 'b' && e.reason === 'timeout')).toBe(true);
  await openSplit(page, site, PAGE('/img2/'), { manifest, path: '/next.html' });
  const next = await settled(page, SETTLED);
  expect(next.every((e) => e.type === 'cdn:load' && e.source !== 'a')).toBe(true);
  expect(site.a.hits((p) => p.startsWith('/img2/'))).toEqual([]);
});

test('an error before the runtime arrives is still failed over: data-cdn-* by the boot, plain URLs by the runtime', async ({ page, site }) => {
  await site.a.set({ fault: 'refuse' });
  // The runtime arrives late: every image has failed on edge a before it runs.
  await site.origin.set({ fault: 'slow', delay: 1500 }, '/cdn-loader');
  const plain = `<img id="plain" src="${site.a.url}/images/plain.png" alt="">`;
  await openSplit(page, site, `<img id="i0" data-cdn-src="/images/0.png" alt="">` + plain);
  const done = await settled(page, 2);
  // The boot moved the data-cdn-* image to edge b before the runtime had even been sent.
  const [runtime] = site.origin.log.filter((h) => h.path === '/cdn-loader-runtime.js');
  const [moved] = site.b.log.filter((h) => h.path === '/images/0.png');
  expect(moved.time).toBeLessThan(runtime.end!);
  expect(done.map((e) => e.type)).toEqual(['cdn:load', 'cdn:load']);
  expect(await imageSources(page, site)).toEqual(['b', 'b']);
  const moves = await events(page, 'cdn:fallback');
  expect(moves.map((e) => `${e.el}:${e.from}>${e.to}`).sort()).toEqual(['i0:a>b', 'plain:a>b']);
});

test('strict CSP with a nonce: the inline boot carries it, scripts run in order, an injected placeholder stays inert', async ({ page, site }) => {
  await site.a.set({ fault: 'status', status: 500 }, '/js/two.js');
  const violations: string[] = [];
  page.on('console', (m) => /Content.Security.Policy|violat/i.test(m.text()) && violations.push(m.text()));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(e.blockedURI + ' ' + e.effectiveDirective));
  });
  await openSplit(
    page,
    site,
    `<img id="i0" data-cdn-src="/images/0.png" alt=""><link id="css" rel="stylesheet" data-cdn-href="/css/site.css">` +
      ['one', 'two', 'three'].map((s) => `<script nonce="n0nce" type="text/plain" data-cdn-src="/js/${s}.js"></script>`).join('') +
      `<script type="text/plain" data-cdn-src="/js/evil.js"></script>`,
    {
      // With integrity (so crossorigin), Firefox fires error on a preload answered 500 (see e2e/known.ts).
      manifest: withSri(site),
      nonce: 'n0nce',
      headers: {
        'Content-Security-Policy': "script-src 'nonce-n0nce' 'strict-dynamic'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'",
      },
    },
  );
  const done = await settled(page, 5);
  expect(done.every((e) => e.type === 'cdn:load')).toBe(true);
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
  expect((await events(page, 'cdn:load')).find((e) => e.el === '/js/two.js')?.source).toBe('b');
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  // Neither the boot nor the runtime asked for the placeholder without the nonce.
  expect(site.counts('/js/evil')).toEqual({ origin: 0, a: 0, b: 0, c: 0 });
  expect(twice(site)).toEqual([]);
});

test('a runtime of another release: the boot keeps what it started and fails it over; the runtime runs the scripts', async ({ page, site }) => {
  await site.a.set({ fault: 'status', status: 500 }, '/images/');
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await openSplit(page, site, PAGE(), { manifest: withSri(site), between: '<script>window.CDNBoot.v = 0</script>' });
  await page.waitForFunction(() => (window as unknown as { __ran?: string[] }).__ran?.length === 3);
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 10000 });
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
  expect(await imageSources(page, site)).toEqual(Array(6).fill('b'));
  expect(warnings.some((w) => w.startsWith('cdn-loader: the inline boot is not of this runtime'))).toBe(true);
  expect(twice(site).filter((p) => !p.includes('/js/'))).toEqual([]);
});

test('the runtime fails to load: the boot alone keeps its choices and fails images and stylesheets over to the origin', async ({ page, site }) => {
  await site.a.set({ fault: 'refuse' });
  await site.b.set({ fault: 'refuse' });
  await site.c.set({ fault: 'refuse' });
  await openSplit(page, site, PAGE(), { manifest: withSri(site, { failover: { retries: 2 } }), src: '/missing-runtime.js' });
  // Added by a page script after parsing: the boot's observer still takes it.
  await page.evaluate(() => document.body.appendChild(Object.assign(document.createElement('img'), { id: 'added' })).setAttribute('data-cdn-src', '/images/added.png'));
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 10000 });
  expect(await imageSources(page, site)).toEqual(Array(7).fill('origin'));
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site'))).toBe('1');
  expect(await page.evaluate(() => !!window.CDNLoader)).toBe(false);
});

test('what the boot learnt goes to the runtime: an edge that failed the boot is down for the runtime, until its probe says otherwise', async ({ page, site }) => {
  // Edge a fails images (its probe is slow to answer, so only the boot's record can tell the runtime).
  await site.a.set({ fault: 'status', status: 500 }, '/images/');
  await site.a.set({ fault: 'slow', delay: 5000 }, '/cdn-probe');
  // The boot's image, moved off edge a, is still loading elsewhere when the runtime runs.
  await site.b.set({ fault: 'slow', delay: 3000 }, '/images/0.png');
  await site.c.set({ fault: 'slow', delay: 3000 }, '/images/0.png');
  await site.origin.set({ fault: 'slow', delay: 800 }, '/cdn-loader');
  await openSplit(page, site, `<img id="i0" data-cdn-src="/images/0.png" alt="">`, { manifest: withSri(site, { mode: 'round-robin' }) });
  await page.waitForFunction(() => !!window.CDNLoader);
  expect(site.a.hits((p) => p.startsWith('/images/'))).toEqual(['/images/0.png']);
  // Round-robin over the origin and the edges the runtime holds up: five images reach every one of them.
  await page.evaluate(() => {
    for (const i of [1, 2, 3, 4, 5]) document.body.appendChild(Object.assign(document.createElement('img'), { id: 'late' + i })).setAttribute('data-cdn-src', `/images/late${i}.png`);
  });
  const done = await settled(page, 6);
  expect(done.every((e) => e.type === 'cdn:load')).toBe(true);
  expect(site.a.hits((p) => p.startsWith('/images/late'))).toEqual([]);
  expect(Object.values(site.counts('/images/late')).reduce((a, b) => a + b)).toBe(5);
});

test('a manifest the runtime refuses but the boot reads: what the boot loaded stays the boot\'s, nothing is fetched twice', async ({ page, site }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // The runtime arrives once the boot's images and stylesheet have loaded.
  const release = await holdRuntime(page);
  // (A field the boot never reads: the runtime refuses the whole manifest, and falls back to the origin.)
  await openSplit(page, site, PAGE(), { manifest: withSri(site, { debug: 'yes' }) });
  await page.waitForFunction(() => window.CDNBoot!.records.every((r) => r.done > 0));
  release();
  await page.waitForFunction(() => !!window.CDNLoader);
  await page.waitForFunction(() => (window as unknown as { __ran?: string[] }).__ran?.length === 3);
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 10000 });
  expect(errors.some((e) => e.startsWith('cdn-loader: manifest.debug: "yes" is not true or false'))).toBe(true);
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
  expect(twice(site).filter((p) => !p.includes('/js/'))).toEqual([]);
  expect(Object.values(site.counts('/images/')).reduce((a, b) => a + b)).toBe(6);
});

test('a manifest the runtime refuses, an edge that hangs: what the boot still loads there comes from the origin (the boot has no deadline)', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' }, '/images/');
  await openSplit(page, site, PAGE(), { manifest: withSri(site, { debug: 'yes' }) });
  // Before, the boot kept them on edge a, where nothing ever ends a hung request.
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 10000 });
  expect(await imageSources(page, site)).toEqual(Array(6).fill('origin'));
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
});

test('an image missing everywhere before the runtime came blames no edge: the runtime\'s health keeps them up', async ({ page, site }) => {
  for (const s of [site.origin, ...site.edges]) await s.set({ fault: 'status', status: 404 }, '/images/gone');
  // (Probes slow to answer: only the boot's record could tell the runtime an edge is down.)
  for (const s of site.edges) await s.set({ fault: 'slow', delay: 5000 }, '/cdn-probe');
  const release = await holdRuntime(page);
  await openSplit(page, site, `<img id="gone" data-cdn-src="/images/gone.png" alt="">`, { manifest: withSri(site) });
  await page.waitForFunction(() => window.CDNBoot!.records[0]?.done === -1);
  release();
  await page.waitForFunction(() => !!window.CDNLoader);
  // Before, every source the boot tried was down for the runtime (and remembered so by the next page's boot).
  expect(await page.evaluate(() => window.CDNLoader!.edges().map((e) => e.id + ':' + e.state))).toEqual(['a:up', 'b:up', 'c:up']);
  expect(await page.evaluate(() => Object.values(JSON.parse(localStorage.getItem('cdn-loader:health') ?? '{}')).map((h) => (h as number[])[0]))).not.toContain(0);
});

test('the boot listens for load events from its first record on: none on a page it leaves as written, and a record still gets its load, seen by the runtime', async ({ page, site }) => {
  // Counts the listeners for `load` added on the document (the boot's only one is there: load events never reach the window).
  await page.addInitScript(() => {
    const w = window as unknown as { __onLoad: number };
    const add = EventTarget.prototype.addEventListener;
    w.__onLoad = 0;
    EventTarget.prototype.addEventListener = function (this: EventTarget, ...args: Parameters<EventTarget['addEventListener']>) {
      if (this === document && args[0] === 'load') w.__onLoad++;
      return add.apply(this, args);
    };
  });
  const onLoad = () => page.evaluate(() => (window as unknown as { __onLoad: number }).__onLoad);
  const release = await holdRuntime(page);
  // A plain image at a healthy edge: the boot leaves it as written, and has nothing to listen for.
  await openSplit(page, site, `<img id="plain" src="${site.a.url}/images/plain.png" alt="">`, { manifest: withSri(site) });
  await page.waitForFunction(() => document.images[0]?.complete && document.images[0].naturalWidth > 0);
  expect(await page.evaluate(() => window.CDNBoot!.records.length)).toBe(0);
  expect(await onLoad()).toBe(0);
  // Its first record: it listens from then on, and the record's load is seen (with no listener, `done` would stay 0).
  await page.evaluate(() => document.body.appendChild(Object.assign(document.createElement('img'), { id: 'added' })).setAttribute('data-cdn-src', '/images/added.png'));
  await page.waitForFunction(() => window.CDNBoot!.records[0]?.done > 0);
  expect(await onLoad()).toBeGreaterThan(0);
  // The runtime takes the loaded record as loaded: its cdn:load from the boot's source, nothing fetched again.
  release();
  const done = await settled(page, 2);
  expect(done.map((e) => `${e.el}:${e.type}:${e.source}`).sort()).toEqual(['added:cdn:load:a', 'plain:cdn:load:a']);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 2, b: 0, c: 0 });
  expect(twice(site)).toEqual([]);
});

test('a page that changes its <base>: an image the runtime takes afterwards resolves its relative URL against the new base', async ({ page, site }) => {
  // The runtime remembers parsed URLs for the document's base of the moment (manifest/written.ts): a base it
  // kept across a change would map the second image to the first one's folder.
  await openSplit(page, site, '', { manifest: site.manifest({ assets: ['/images/', '/img2/'] }), between: '<base id="b" href="/images/">\n' });
  await page.waitForFunction(() => typeof window.CDNLoader?.report === 'function');
  const add = (id: string, base: string) =>
    page.evaluate(
      ([id, base]) => {
        (document.getElementById('b') as HTMLBaseElement).href = base;
        const i = document.createElement('img');
        i.id = id;
        i.setAttribute('data-cdn-src', '1.png');
        document.body.append(i);
      },
      [id, base],
    );
  const src = (id: string) => page.evaluate((id) => (document.getElementById(id) as HTMLImageElement).src, id);
  await add('x1', '/images/');
  await expect.poll(() => src('x1')).toMatch(/^http:\/\/edge-\w\.localhost:\d+\/images\/1\.png$/);
  await add('x2', '/img2/');
  await expect.poll(() => src('x2')).toMatch(/^http:\/\/edge-\w\.localhost:\d+\/img2\/1\.png$/);
  await settled(page, 2);
  expect(twice(site)).toEqual([]);
});

test('Chromium compiles the runtime as it streams in: its functions on the streaming thread, not on the main thread at their first call', async ({ page, site, browserName }) => {
  test.skip(browserName !== 'chromium', "V8's explicit compile hints (//# allFunctionsCalledOnLoad): Chromium 136+");
  const browser = page.context().browser()!;
  await traceCompiles(browser, page);
  await openSplit(page, site, PAGE(), { manifest: withSri(site) });
  // Every chain of the page ran, and with them the runtime's watch, plan, race and events.
  await settled(page, SETTLED);
  const n = await compiles(browser, '/cdn-loader-runtime.js');
  expect(n, 'the runtime was streamed and ran').toBeTruthy();
  // Chromium 156: 318 functions on the streaming thread with the hint, 2 to 5 without (the next test).
  expect(n!.streamed).toBeGreaterThan(100);
  // On the main thread inside its evaluation: without the hint 150 and more; with it the page's own functions
  // first called there (the inline boot's stop, the test's event listener), 1 to 3 (measured).
  expect(n!.lazy).toBeLessThan(10);
});

test('the negative control: the same runtime without its compile hint compiles its functions on the main thread at their first call', async ({ page, site, browserName }) => {
  test.skip(browserName !== 'chromium', "V8's explicit compile hints: Chromium only");
  const HINT = '//# allFunctionsCalledOnLoad\n';
  const runtime = readFileSync(new URL('../dist/cdn-loader-runtime.js', import.meta.url), 'utf8');
  expect(runtime.startsWith(HINT)).toBe(true);
  site.origin.file('/runtime-nohint.js', runtime.slice(HINT.length), 'text/javascript');
  const browser = page.context().browser()!;
  await traceCompiles(browser, page);
  await openSplit(page, site, PAGE(), { manifest: withSri(site), src: '/runtime-nohint.js' });
  await settled(page, SETTLED);
  const n = await compiles(browser, '/runtime-nohint.js');
  expect(n, 'the runtime was streamed and ran').toBeTruthy();
  expect(n!.streamed).toBeLessThan(10);
  expect(n!.lazy).toBeGreaterThanOrEqual(10);
});
