// Issue 12, case 12, on the real nginx: edges that speak HTTP/2 over TLS (e2e/nginxH2.ts: one nginx,
// a `listen … ssl http2` server per edge, the edge recipe included verbatim, faults made by nginx),
// with the same results as on HTTP/1.1. First the faults themselves, checked from outside the browser
// in nginx's own log; then a slice of the fault matrix (refused, 500, blackholed and slow edges in both
// sharing modes, one edge and all edges faulty, every resource kind; 404, wrong bytes under SRI and a
// flapping edge with one edge faulty); then the failure detector's cases that concern an edge: a stuck
// object on a busy edge, lazy images on a blackholed edge, genuine 404s, backoff, the slow link.
import http2 from 'node:http2';
import type { CDPSession, Page } from '@playwright/test';
import { test as base, expect, events, settled, images, recordEvents, uncaught, warm, type SeenEvent } from './fixtures.js';
import { asset, png, scriptBody, sri, startServer, styleBody, type TestServer } from './servers.js';
import { needNginx } from './nginx.js';
import { knownFailure } from './known.js';
import { feedWith404s, stuckOnBusyEdge } from './detectorCases.js';
import { KINDS, COPIES, RETRIES, resources, pathOf, shown, type Kind, type Resource } from './matrixPage.js';
import { SLOW_RATE, startNginxEdges, type EdgeFault, type EdgeSpec, type LogRow, type NginxEdge, type NginxEdges } from './nginxH2.js';

interface NginxSite {
  origin: TestServer;
  nginx: NginxEdges;
  edges: NginxEdge[];
  /** The manifest: every edge, every asset folder; `extra` merged in. */
  manifest(extra?: object): Record<string, unknown>;
  open(body: string, manifest: object): Promise<void>;
  /** The server (origin or edge) a URL points at. */
  sourceOf(url: string): string | undefined;
}

/** The asset files of `paths` as every server serves them (servers.ts `asset`), for nginx's root. */
const filesFor = (paths: string[], extra: Record<string, string | Buffer> = {}) => {
  const out: Record<string, string | Buffer> = { ...extra };
  for (const p of paths) out[p.slice(1)] ??= asset(p)!.body;
  return out;
};

const test = base.extend<{ nginxSite: (edges: EdgeSpec[], files: Record<string, string | Buffer>) => Promise<NginxSite> }>({
  nginxSite: async ({ page }, use) => {
    const closing: (() => Promise<void>)[] = [];
    await use(async (specs, files) => {
      const origin = await startServer({ name: 'origin', dist: true, colour: [120, 120, 120] });
      closing.push(() => origin.close());
      const nginx = await startNginxEdges(specs, files);
      closing.push(() => nginx.close());
      await page.addInitScript(recordEvents);
      const site: NginxSite = {
        origin,
        nginx,
        edges: nginx.edges,
        manifest: (extra = {}) => ({
          origin: origin.url,
          edges: nginx.edges.map((e) => ({ id: e.name, url: e.url })),
          assets: ['/images/', '/js/', '/css/'],
          probe: { timeout: 1000, interval: 60000 },
          failover: { timeout: 10000 },
          ...extra,
        }),
        async open(body, manifest) {
          origin.file('/cdn-manifest.json', JSON.stringify(manifest), 'application/json');
          origin.file('/page.html', `<!doctype html><html><head><meta charset="utf-8"><title>test</title>\n<script src="/cdn-loader.js" data-manifest="/cdn-manifest.json"></script>\n</head><body>\n${body}\n</body></html>`);
          await page.goto(origin.url + '/page.html');
        },
        sourceOf: (url) => [{ name: 'origin', url: origin.url }, ...nginx.edges].find((s) => url.startsWith(s.url + '/'))?.name,
      };
      return site;
    });
    // The page first: requests it still holds end (nginx logs them as 499) before nginx stops.
    await page.close();
    for (const close of closing.reverse()) await close();
  },
});

test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ timeout: 60000 });
test.beforeAll(() => void needNginx());

/** One GET over HTTP/2 from Node: status, body bytes, or how it failed; `ms` bounds the wait. */
function get(url: string, path: string, ms: number): Promise<{ status?: number; bytes: number; error?: string; gaveUp?: boolean }> {
  return new Promise((done) => {
    const session = http2.connect(url, { rejectUnauthorized: false });
    let status: number | undefined;
    let bytes = 0;
    const finish = (r: { error?: string; gaveUp?: boolean }) => {
      clearTimeout(timer);
      session.destroy();
      done({ status, bytes, ...r });
    };
    const timer = setTimeout(() => finish({ gaveUp: true }), ms);
    // A refused connection fails the session, and the stream with ERR_HTTP2_STREAM_CANCEL caused by it.
    const code = (e: NodeJS.ErrnoException) => (e.cause as NodeJS.ErrnoException | undefined)?.code ?? e.code ?? String(e);
    session.on('error', (e: NodeJS.ErrnoException) => finish({ error: code(e) }));
    const req = session.request({ ':path': path });
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (d: Buffer) => (bytes += d.length));
    req.on('end', () => finish({}));
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: code(e) }));
  });
}

test('each fault is what it says, in nginx\'s own log, over HTTP/2 and TLS', async ({ nginxSite }) => {
  const faults: EdgeFault[] = ['ok', 'refuse', 'blackhole', 'slow', '404', '500', 'corrupt', 'flap'];
  const image = png(1, 2, 3);
  const site = await nginxSite(
    faults.map((f) => ({ name: f, fault: f, stuck: f === 'ok' ? ['/images/stuck.png'] : undefined })),
    { 'images/0.png': image, 'images/stuck.png': image },
  );
  const loopback = (e: NginxEdge) => `https://127.0.0.1:${e.port}`;
  const edge = (f: string) => site.edges.find((e) => e.name === f)!;
  const results: Record<string, Awaited<ReturnType<typeof get>>> = {};
  // The hanging ones are given up after 2 s; the slow one is waited for in full (bounded).
  await Promise.all(
    faults.map(async (f) => {
      results[f] = await get(loopback(edge(f)), '/images/0.png', f === 'blackhole' ? 2000 : 20000);
    }),
  );
  results.stuck = await get(loopback(edge('ok')), '/images/stuck.png', 2000);
  results.okElsewhere = await get(loopback(edge('ok')), '/images/0.png', 20000);
  // Flapping: one answer in each half of a two-second period, whichever comes first.
  const flaps = new Set<number | undefined>([results.flap.status]);
  for (let i = 0; i < 6 && flaps.size < 2; i++) {
    const before = Date.now();
    flaps.add((await get(loopback(edge('flap')), '/images/0.png', 5000)).status);
    // Next half-second window: a bounded wait on the clock this fault is made of.
    await new Promise((r) => setTimeout(r, Math.max(0, 500 - (Date.now() - before))));
  }

  expect(results.ok).toEqual({ status: 200, bytes: image.length });
  expect(results.refuse.error).toBe('ECONNREFUSED');
  expect(results.blackhole).toMatchObject({ status: undefined, bytes: 0, gaveUp: true });
  expect(results.stuck).toMatchObject({ status: undefined, bytes: 0, gaveUp: true });
  expect(results.okElsewhere).toEqual({ status: 200, bytes: image.length });
  expect(results.slow).toEqual({ status: 200, bytes: image.length });
  expect(results['404'].status).toBe(404);
  expect(results['500'].status).toBe(500);
  expect(results.corrupt.status).toBe(200);
  expect(results.corrupt.bytes).not.toBe(image.length);
  expect([...flaps].sort()).toEqual([200, 503]);

  // nginx's log: every request over HTTP/2 and TLS; the hangs ended by the client (499) after it
  // gave up, never answered; the slow answer limited to SLOW_RATE bytes a second (nginx counts the
  // headers too), so it lasted seconds whatever the machine's load.
  await expect.poll(() => site.nginx.log().filter((r) => r.status === 499).length).toBe(2);
  const log = site.nginx.log();
  expect(log.every((r) => r.protocol === 'HTTP/2.0' && /^TLSv1\.[23]$/.test(r.tls))).toBe(true);
  const row = (e: string, path = '/images/0.png') => log.filter((r) => r.edge === e && r.path === path);
  expect(row('blackhole')).toEqual([expect.objectContaining({ status: 499, bytes: 0 })]);
  expect(row('ok', '/images/stuck.png')).toEqual([expect.objectContaining({ status: 499, bytes: 0 })]);
  expect(row('slow')).toEqual([expect.objectContaining({ status: 200, bytes: image.length })]);
  expect(row('slow')[0].seconds).toBeGreaterThanOrEqual(image.length / SLOW_RATE);
  expect(row('500')).toEqual([expect.objectContaining({ status: 500 })]);
  expect(row('refuse')).toEqual([]);
  // And nginx dropped its upstream requests to the blackhole with them.
  await expect.poll(() => site.nginx.held()).toBe(0);
});

// ---------------------------------------------------------------------------------------------------
// The fault matrix, sliced: the same page and the same checks as e2e/matrix.spec.ts, edges on nginx.

const SLICE: { fault: EdgeFault; reason?: string; scopes: ('one' | 'all')[] }[] = [
  { fault: 'refuse', reason: 'error', scopes: ['one', 'all'] },
  { fault: '500', reason: 'error', scopes: ['one', 'all'] },
  { fault: 'blackhole', reason: 'timeout', scopes: ['one', 'all'] },
  { fault: 'slow', reason: 'timeout', scopes: ['one', 'all'] },
  { fault: '404', reason: 'error', scopes: ['one'] },
  // Scripts and stylesheets carry integrity; images cannot, and the wrong bytes fail to decode.
  { fault: 'corrupt', scopes: ['one'] },
  // 503 in every other second: loads may succeed on the edge, so no reason is fixed.
  { fault: 'flap', scopes: ['one'] },
];

for (const { fault, reason, scopes } of SLICE)
  for (const mode of ['always', 'round-robin'] as const)
    for (const scope of scopes)
      test(`nginx h2: ${fault} × ${mode} × ${scope === 'one' ? 'one edge' : 'all edges'} faulty: every kind loads, scripts once in order, bounded requests`, async ({ page, nginxSite, browserName }, testInfo) => {
        // An engine difference known from the Node matrix (e2e/known.ts) for the same page. On nginx it
        // failed in 4 of 5 Firefox runs of the blackhole pages, not every time: skipped, not expected to fail.
        const known = knownFailure(testInfo.project.name, testInfo.title.replace(/^nginx h2: /, ''));
        test.skip(!!known, `${known} (e2e/known.ts, the same page on Node's server; on nginx 4 of 5 runs failed)`);
        const list = resources();
        const names = ['a', 'b', 'c'];
        const faultyNames = scope === 'one' ? ['a'] : names;
        const files = filesFor(list.flatMap((r) => r.paths.filter((p) => !/\.(css|js)$/.test(p))));
        for (const r of list) if (r.kind === 'script') files[r.paths[0].slice(1)] = scriptBody(r.id);
        for (const r of list) if (r.kind === 'stylesheet') files[r.paths[0].slice(1)] = styleBody(r.id);
        const site = await nginxSite(
          names.map((name) => ({ name, fault: faultyNames.includes(name) ? fault : 'ok' })),
          files,
        );
        const pageErrors = uncaught(page);
        const integrity = list
          .filter((r) => r.kind === 'script' || r.kind === 'stylesheet')
          .map((r) => ({ path: r.paths[0], integrity: sri(r.kind === 'script' ? scriptBody(r.id) : styleBody(r.id)) }));
        const manifest = site.manifest({
          mode,
          assets: ['/images/', ...integrity],
          probe: { timeout: 800, interval: 60000 },
          failover: { timeout: reason === 'timeout' ? 400 : 3000, retries: RETRIES },
        });
        // Every resource chosen in one pass before any probe answers (as in the matrix).
        await site.origin.set({ fault: 'slow', delay: 150 }, '/cdn-manifest.json');
        const t0 = Date.now();
        await site.open(list.map((r) => r.markup).join('\n'), manifest);

        const done = await settled(page, list.length, 20000);
        const all = await events(page);
        const loads = all.filter((e) => e.type === 'cdn:load');
        const fallbacks = all.filter((e) => e.type === 'cdn:fallback');
        const problems: string[] = [];
        const of = (name: string | undefined) => list.find((r) => r.id === name) ?? list.find((r) => r.paths.includes(pathOf(name ?? '')));

        // 1. Nothing lost: one cdn:load per resource, no cdn:error, and the page shows it from that source.
        for (const e of done) if (e.type === 'cdn:error') problems.push(`cdn:error for ${e.el} (${e.url})`);
        const loadOf = new Map<string, SeenEvent>();
        for (const e of loads) {
          const r = of(e.el);
          if (!r) problems.push(`cdn:load for an unknown element ${e.el}`);
          else if (loadOf.has(r.id)) problems.push(`two cdn:load events for ${r.id}`);
          else loadOf.set(r.id, e);
        }
        const dom = await shown(page, list.map((r) => r.id));
        for (const r of list) {
          const load = loadOf.get(r.id);
          const d = dom.find((x) => x.id === r.id)!;
          if (!load || !d.ok) problems.push(`${r.id} lost: ${load ? 'the page does not show it' : 'no cdn:load'} (element URL ${d.url || 'none'})`);
          else if (site.sourceOf(d.url) !== load.source) problems.push(`${r.id}: the element uses ${d.url}, the event says ${load.source}`);
        }

        // 2. The fault was met: each kind had copies whose chosen source is a faulty edge, and they moved
        //    on for the reason the fault gives.
        const chosen = new Map<string, string>();
        for (const r of list) chosen.set(r.id, fallbacks.find((f) => of(f.el) === r)?.from ?? loadOf.get(r.id)?.source ?? '?');
        for (const kind of KINDS) {
          const exposed = list.filter((r) => r.kind === kind && faultyNames.includes(chosen.get(r.id)!));
          if (!exposed.length) problems.push(`no ${kind} was sent to a faulty edge: the combination went untested`);
          if (mode === 'always' && exposed.length !== COPIES) problems.push(`always mode sent only ${exposed.length} of ${COPIES} ${kind}s to edge a`);
          for (const r of exposed) {
            const fb = fallbacks.filter((f) => of(f.el) === r && faultyNames.includes(f.from!));
            if (fault !== 'flap' && !fb.length) problems.push(`${r.id}: no cdn:fallback away from faulty edge ${chosen.get(r.id)}`);
            const want = reason ?? (kind === 'script' || kind === 'stylesheet' ? 'integrity' : 'error');
            if (fault !== 'flap') for (const f of fb) if (f.reason !== want) problems.push(`${r.id}: fallback from ${f.from} for "${f.reason}", expected "${want}"`);
          }
        }
        // 3. With every edge down, the origin alone serves. (nginx's slow edge trickles its answers: an
        //    image whose first bytes arrived is kept, by design, and may finish first: seen once, in
        //    Firefox, with the four posters of edge a.)
        if (scope === 'all' && fault !== 'flap' && fault !== 'slow') for (const [id, e] of loadOf) if (e.source !== 'origin') problems.push(`${id} served by ${e.source} while every edge is faulty`);

        // Late answers of a slow edge arrive after the hedge won: they must neither run a script twice
        // nor apply a stylesheet twice. Wait (bounded) until nginx logged every script and stylesheet
        // request the page left on it. (Firefox ends the image requests it gives up on without nginx
        // logging them while the connection lives; they are counted below, once it is closed.)
        const left = fallbacks.filter((f) => faultyNames.includes(f.from!)).map((f) => ({ edge: f.from!, r: of(f.el)! }));
        const unlogged = (which: typeof left) => which.filter((x) => !site.nginx.log().some((row) => row.edge === x.edge && x.r.paths.includes(pathOf(row.path))));
        if (fault === 'slow') {
          const code = left.filter((x) => x.r.kind === 'script' || x.r.kind === 'stylesheet');
          await expect.poll(() => unlogged(code).length, { timeout: 20000, message: 'slow script and stylesheet answers still pending in nginx' }).toBe(0);
          await expect.poll(() => page.evaluate(() => document.readyState)).toBe('complete');
        }
        const scriptIds = list.filter((r) => r.kind === 'script').map((r) => r.id);
        const ran = await page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);
        if (JSON.stringify(ran) !== JSON.stringify(scriptIds)) problems.push(`scripts ran as ${JSON.stringify(ran)}, expected ${JSON.stringify(scriptIds)}`);
        if (await page.evaluate(() => (window as unknown as { __corrupt?: number }).__corrupt)) problems.push('wrong script bytes executed');
        if (pageErrors.length) problems.push(`uncaught: ${pageErrors.join(' | ')}`);

        // 4. What travelled, from nginx's log once the page is gone (a request still held is logged when
        //    it ends: 499): no source twice for a resource, at most chosen + retries + origin; the
        //    reported edge answered it in full; every edge request over HTTP/2 and TLS.
        // Chromium closes a context's connections with it: nginx then ends and logs every request still
        // open. Firefox keeps them (measured: nginx's stub_status still counted them 10 s later), so in
        // Firefox a request still open at this point is not counted.
        await page.context().close();
        const blackholed = fault === 'blackhole' ? faultyNames : [];
        if (browserName === 'chromium') await expect.poll(() => site.nginx.connections(), { message: 'connections nginx still has open' }).toBe(0);
        await expect.poll(() => site.nginx.held(), { message: 'requests still held by the blackhole' }).toBe(0);
        // Chromium requests an image that failed to decode a second time when its answer may be cached
        // (the recipe's max-age): Sec-Fetch-Dest "empty", no-cors. A plain <img> on a page without the
        // loader does the same (measured, Chromium 156): the browser's request, not the loader's.
        const refetched = (row: LogRow) => fault === 'corrupt' && row.dest === 'empty' && row.path.startsWith('/images/');
        const log = site.nginx.log().filter((row) => !refetched(row));
        for (const row of log) if (row.protocol !== 'HTTP/2.0' || !/^TLSv1\.[23]$/.test(row.tls)) problems.push(`${row.edge} ${row.path}: ${row.protocol} ${row.tls}`);
        for (const r of list) {
          const counts: Record<string, number> = { origin: site.origin.hits((p) => r.paths.includes(pathOf(p))).length };
          for (const name of names) counts[name] = log.filter((row) => row.edge === name && r.paths.includes(pathOf(row.path))).length;
          const total = Object.values(counts).reduce((a, b) => a + b, 0);
          for (const [name, n] of Object.entries(counts)) if (n > 1) problems.push(`${r.id}: ${n} requests to ${name} (${JSON.stringify(counts)})`);
          const bound = chosen.get(r.id) === 'origin' ? 1 : RETRIES + 2;
          if (total > bound) problems.push(`${r.id}: ${total} requests, more than its ${bound} candidates (${JSON.stringify(counts)})`);
          const load = loadOf.get(r.id);
          if (load && load.source !== 'origin' && !log.some((row) => row.edge === load.source && r.paths.includes(pathOf(row.path)) && row.status === 200 && row.bytes > 0))
            problems.push(`${r.id}: reported from ${load.source}, whose log has no answer for it`);
          // A blackholed edge never answered anything: its requests were all ended by the browser.
          for (const row of log) if (blackholed.includes(row.edge) && row.status !== 499) problems.push(`${row.edge} ${row.path}: ${row.status} from a blackholed edge`);
        }
        if (problems.length)
          console.log(`[nginx h2] ${fault} × ${mode} × ${scope}:\n  ${problems.join('\n  ')}\n  chosen ${JSON.stringify(Object.fromEntries(chosen))}\n  nginx ${JSON.stringify(log.map((r) => `${r.edge} ${r.path} ${r.status} ${r.dest} ${r.mode} ended ${r.end - t0} ms after the page opened, after ${r.seconds} s`))}`);
        expect([...new Set(problems)]).toEqual([]);
      });

// ---------------------------------------------------------------------------------------------------
// The failure detector's cases (e2e/detector.spec.ts) with nginx edges.

const twoEdges = (site: NginxSite, extra: object = {}) => site.manifest({ edges: site.edges.slice(0, 2).map((e) => ({ id: e.name, url: e.url })), ...extra });
const cdp = async (page: Page): Promise<CDPSession> => {
  test.skip(page.context().browser()?.browserType().name() !== 'chromium', 'network and CPU emulation need the Chromium DevTools Protocol');
  return page.context().newCDPSession(page);
};

test('nginx h2: one stuck object on a busy edge fails over while newer images keep finishing there', async ({ page, nginxSite }) => {
  const busy = Array.from({ length: 75 }, (_, i) => `/images/busy${i}.png`);
  const site = await nginxSite([{ name: 'a', stuck: ['/images/stuck.png'] }, { name: 'b' }], filesFor(['/images/stuck.png', ...busy]));
  await site.open('<img id="stuck" data-cdn-src="/images/stuck.png" alt="">', twoEdges(site, { failover: { timeout: 1000 } }));
  await stuckOnBusyEdge(page);
  // In nginx's log: the stuck request on edge a never answered (the browser ended it: 499, logged once
  // the page is gone), everything else was answered in full, all over HTTP/2.
  await page.close();
  await expect.poll(() => site.nginx.held()).toBe(0);
  const log = site.nginx.log();
  expect(log.filter((r) => r.status !== 200)).toEqual([expect.objectContaining({ edge: 'a', path: '/images/stuck.png', status: 499, bytes: 0 })]);
  expect(log.every((r) => r.protocol === 'HTTP/2.0')).toBe(true);
});

/** A page with 12 lazy images below the fold, edge a blackholed, scrolled down once edge a is known down. */
async function lazyOnBlackholedEdge(page: Page, nginxSite: (edges: EdgeSpec[], files: Record<string, string | Buffer>) => Promise<NginxSite>) {
  const site = await nginxSite([{ name: 'a', fault: 'blackhole' }, { name: 'b' }], filesFor(Array.from({ length: 12 }, (_, i) => `/images/${i}.png`)));
  await site.open('<div style="height:5000px"></div>' + images(12, 'loading="lazy"'), twoEdges(site, { probe: { timeout: 1000, interval: 60000 } }));
  await page.waitForFunction(() => (window as unknown as { __events: SeenEvent[] }).__events.some((e) => e.type === 'cdn:edge' && e.id === 'a' && e.state === 'down'), undefined, { timeout: 20000 });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const done = await settled(page, 12, 20000);
  return { site, done };
}

test('nginx h2: lazy images bound to a blackholed edge move off it: none lost', async ({ page, nginxSite }) => {
  const { site, done } = await lazyOnBlackholedEdge(page, nginxSite);
  expect(done.every((e) => e.type === 'cdn:load' && e.source === 'b')).toBe(true);
  const sources = await page.evaluate(() => Array.from(document.images).map((i) => (i.complete && i.naturalWidth > 0 ? i.currentSrc : 'broken:' + i.currentSrc)));
  expect(sources.map((u) => site.sourceOf(u))).toEqual(Array(12).fill('b'));
  // Whatever edge a was asked, it answered nothing: every request there ended by the browser (499).
  await page.close();
  await expect.poll(() => site.nginx.held()).toBe(0);
  expect(site.nginx.log().filter((r) => r.edge === 'a' && r.status !== 499)).toEqual([]);
});

test('nginx h2: genuine 404s (files nginx does not have): the asset\'s fault, not the edge\'s; no flaps', async ({ page, nginxSite }) => {
  const existing = Array.from({ length: 8 }, (_, b) => Array.from({ length: 9 }, (_, i) => `/images/f${b}-${i}.png`)).flat();
  const site = await nginxSite([{ name: 'a' }, { name: 'b' }, { name: 'c' }], filesFor(existing));
  await site.origin.set({ fault: 'status', status: 404 }, '/images/missing');
  await site.open('', site.manifest({ probe: { timeout: 1000, interval: 1000 } }));
  await feedWith404s(page);
  // The misses were nginx's own 404s (try_files), over HTTP/2.
  const misses = site.nginx.log().filter((r) => r.path.startsWith('/images/missing'));
  expect(misses.length).toBeGreaterThanOrEqual(8);
  expect(misses.every((r) => r.status === 404 && r.protocol === 'HTTP/2.0')).toBe(true);
});

test('nginx h2: a down edge (500) is probed after 1 s, 2 s, 4 s… up to the interval, not every second', async ({ page, nginxSite }) => {
  const site = await nginxSite([{ name: 'a', fault: '500' }, { name: 'b' }], {});
  await site.open('', twoEdges(site, { probe: { timeout: 1000, interval: 8000 } }));
  // Edge b is probed at start and again one interval (8 s) later (the recipe keeps a healthy edge's
  // probes out of nginx's log: the page's cdn:probe events count them). By then edge a had its
  // backoff pings after 1 s, 2 s and 4 s: 4 or 5 in nginx's log, where one a second would make 8 or 9.
  await page.waitForFunction(() => (window as unknown as { __events: SeenEvent[] }).__events.filter((e) => e.type === 'cdn:probe' && e.id === 'b').length >= 2, undefined, { timeout: 15000 });
  const pings = site.nginx.probes('a');
  expect(pings.length).toBeGreaterThanOrEqual(3);
  expect(pings.length).toBeLessThanOrEqual(5);
  expect(site.nginx.log().filter((r) => r.edge === 'a').every((r) => r.status === 500)).toBe(true);
});

test('nginx h2: slow link: large images still arriving are neither abandoned nor duplicated, and no edge goes down', async ({ page, nginxSite }) => {
  // About 1 MB each: 2 s apiece at 4 Mbit/s, far beyond any "auto" deadline.
  const big = png(90, 90, 90, 580);
  const site = await nginxSite([{ name: 'a' }, { name: 'b' }], filesFor(Array.from({ length: 10 }, (_, i) => `/images/${i}.png`), Object.fromEntries([0, 1, 2].map((i) => [`images/big${i}.png`, big]))));
  for (let i = 0; i < 3; i++) site.origin.file(`/images/big${i}.png`, big, 'image/png');
  const c = await cdp(page);
  // As in e2e/detector.spec.ts: the case is about arriving transfers, not cold TLS handshakes on a busy
  // machine, so the connections to the edges are opened first, from a page of the same site.
  await warm(page, site.origin, site.edges.map((e) => e.url));
  await c.send('Network.enable');
  await c.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 4e6 / 8, uploadThroughput: 1e6 / 8 });
  const body = [0, 1, 2].map((i) => `<img id="big${i}" data-cdn-src="/images/big${i}.png" alt="">`).join('') + images(10);
  await site.open(body, twoEdges(site, { failover: { timeout: 'auto' } }));
  const done = await settled(page, 13, 40000);
  expect(done.every((e) => e.type === 'cdn:load' && (e.source === 'a' || e.source === 'b'))).toBe(true);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect((await events(page, 'cdn:edge')).filter((e) => e.state === 'down')).toEqual([]);
  const all = [...site.nginx.hits('a', (p) => p.startsWith('/images/')), ...site.nginx.hits('b', (p) => p.startsWith('/images/'))];
  expect(all.length).toBe(13);
  expect(new Set(all).size).toBe(13);
  expect(site.origin.hits((p) => p.startsWith('/images/'))).toEqual([]);
});



