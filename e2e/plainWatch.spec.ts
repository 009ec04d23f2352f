// Plain URLs at an edge, watched (issue 14, docs/first-visit.md "Plain URLs at the edge, watched"): a
// plain `src`/`href` of a registered asset that is still loading when the split's runtime comes is
// timed like one the boot started, and moved to its next source on a hang, at once when its edge is
// known down; a healthy one is left as it is, requested once.
import type { Page } from '@playwright/test';
import { test, expect, events, settled, imageSources, type Site } from './fixtures.js';
import { holdRuntime, openWatched, remembers } from './watched.js';

/** Waits until the page has saved edge a down for the next page (health.ts). */
const remembersDown = (page: Page, site: Site) => remembers(page, [site.a.url], 0);

const row = (page: Page, path: string) => page.evaluate((p) => window.CDNLoader!.report().find((r) => r.path === p), path);

test('blackholed edge: a plain <img src> there arrives from the next source, and on the next page at once (edge remembered down: the boot moves it)', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' });
  await openWatched(page, site, { body: `<img id="plain" src="${site.a.url}/images/0.png" alt="">`, manifest: { failover: { timeout: 1000 } } });
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'plain', source: 'b' }]);
  expect(await imageSources(page, site)).toEqual(['b']);
  expect(await events(page, 'cdn:fallback')).toMatchObject([{ el: 'plain', from: 'a', to: 'b', reason: 'timeout' }]);
  await remembersDown(page, site);
  // The runtime waits until the boot has taken the image: from the HTTP cache it could come before the parser
  // reached the image, stop the boot and move it itself (CI's first try once: no boot record, edge c).
  const release = await holdRuntime(page);
  // A deadline of a minute: only edge a being remembered down can move it.
  await openWatched(page, site, { body: `<img id="next" src="${site.a.url}/images/1.png" alt="">`, manifest: { failover: { timeout: 60000 } }, path: '/next.html' });
  await page.waitForFunction(() => window.CDNBoot?.records.length);
  release();
  const [next] = await settled(page, 1);
  expect(next).toMatchObject({ type: 'cdn:load', el: 'next' });
  expect(next.source).not.toBe('a');
  // The boot moved it off edge a before the runtime came (at most the preload scanner asked edge a): no fallback.
  expect(await page.evaluate(() => window.CDNBoot!.records.map((r) => [r.el.id, r.from]))).toEqual([['next', next.source]]);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(site.a.hits((p) => p === '/images/1.png').length).toBeLessThanOrEqual(1);
});

test('an edge found down on this page (it failed a resource of the boot\'s): a plain image still loading there moves at once', async ({ page, site }) => {
  await site.a.set({ fault: 'status', status: 500 }, '/images/0.png');
  await site.a.set({ fault: 'blackhole' }, '/images/plain.png');
  // A slow probe: only the boot's record can tell the runtime that edge a is down.
  await site.a.set({ fault: 'slow', delay: 5000 }, '/cdn-probe');
  // The runtime comes once the boot has seen edge a fail.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route('**/cdn-loader-runtime.js', async (route) => (await released, route.continue()));
  await openWatched(page, site, {
    body: `<img id="i0" data-cdn-src="/images/0.png" alt=""><img id="plain" src="${site.a.url}/images/plain.png" alt="">`,
    manifest: { failover: { timeout: 60000 } },
  });
  await page.waitForFunction(() => window.CDNBoot?.records[0]?.failed.length);
  release();
  const done = await settled(page, 2);
  expect(done.map((e) => `${e.type}:${e.el}:${e.source}`).sort()).toEqual(['cdn:load:i0:b', 'cdn:load:plain:b']);
  expect(await imageSources(page, site)).toEqual(['b', 'b']);
});

test('healthy: a plain image and stylesheet still loading when the runtime comes are watched, and requested exactly once', async ({ page, site }) => {
  // Still loading when the runtime runs: the runtime's own deadline (10 s in these tests) is far off.
  await site.a.set({ fault: 'slow', delay: 1500 }, '/images/');
  await site.a.set({ fault: 'slow', delay: 1500 }, '/css/');
  await openWatched(page, site, {
    head: `<link id="css" rel="stylesheet" href="${site.a.url}/css/site.css">`,
    body: `<img id="plain" src="${site.a.url}/images/0.png" alt="">`,
  });
  const done = await settled(page, 2);
  expect(done.map((e) => `${e.type}:${e.el}:${e.source}`).sort()).toEqual(['cdn:load:css:a', 'cdn:load:plain:a']);
  expect(await row(page, '/images/0.png')).toMatchObject({ source: 'a', state: 'loaded', tried: ['a'] });
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
  // Nothing was set on them: their URLs are as written.
  expect(await page.evaluate(() => [document.images[0].getAttribute('src'), document.getElementById('css')!.getAttribute('href')])).toEqual([
    `${site.a.url}/images/0.png`,
    `${site.a.url}/css/site.css`,
  ]);
});

test('a plain stylesheet (render-blocking) at a hung edge moves to the next source', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' }, '/css/');
  await openWatched(page, site, { head: `<link id="css" rel="stylesheet" href="${site.a.url}/css/site.css">`, manifest: { failover: { timeout: 1000 } } });
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'css', source: 'b' }]);
  expect(await events(page, 'cdn:fallback')).toMatchObject([{ el: 'css', from: 'a', to: 'b', reason: 'timeout' }]);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site'))).toBe('1');
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 1, c: 0 });
});

// The next page after a fault at edge a (remembered down): the boot moves a plain registered image or
// stylesheet there before the runtime comes, as it starts a data-cdn-* one (docs/first-visit.md).

/** Each element's load events, by id, from before any page script runs. */
const countLoads = (page: Page) =>
  page.addInitScript(() =>
    document.addEventListener('load', (e) => ((window as unknown as { __loads: string[] }).__loads ??= []).push((e.target as Element).id), true),
  );
const loads = (page: Page) => page.evaluate(() => ((window as unknown as { __loads?: string[] }).__loads ?? []).filter((id) => id).sort());

/** A first page whose plain image at edge a fails there (timeout 1 s), then until edge a is remembered down. */
async function firstPage(page: Page, site: Site, manifest: object = {}) {
  await openWatched(page, site, { body: `<img id="first" src="${site.a.url}/images/first.png" alt="">`, manifest: { failover: { timeout: 1000 }, ...manifest } });
  await settled(page, 1);
  await remembersDown(page, site);
}

/** Plain images (one in a <picture>) and a plain stylesheet at edge a, in /img2/ and /css/. */
const nextPage = (site: Site, css = true) => ({
  head: css ? `<link id="css" rel="stylesheet" href="${site.a.url}/css/site.css">` : '',
  body:
    [0, 1, 2].map((i) => `<img id="n${i}" src="${site.a.url}/img2/${i}.png" alt="">`).join('\n') +
    `<picture><source srcset="${site.a.url}/img2/p.webp 1x, ${site.a.url}/img2/p2.webp 2x" type="image/webp"><img id="np" src="${site.a.url}/img2/p.png" alt=""></picture>`,
  manifest: { assets: ['/images/', '/img2/', '/css/'], failover: { timeout: 60000 } },
  path: '/next.html',
  // As the tools write a page of plain URLs: the boot still observes it while an edge is remembered down.
  plain: true,
});

for (const fault of ['blackhole', 'refuse'] as const)
  test(`${fault} edge, next page: the boot moves every plain image and stylesheet there off the edge remembered down, before the runtime comes, each shown once`, async ({ page, site }, info) => {
    await site.a.set({ fault });
    await countLoads(page);
    await firstPage(page, site);
    const release = await holdRuntime(page);
    // (Firefox holds every image while a stylesheet waits on a host that never answers, and a new href does not
    // release it: e2e/known.ts BLACKHOLED_STYLESHEET. There the blackholed page has no stylesheet.)
    const css = !(fault === 'blackhole' && info.project.name === 'firefox');
    const n = css ? 5 : 4;
    const runtime = () => site.origin.hits((p) => p === '/cdn-loader-runtime.js').length;
    const asked = runtime();
    await openWatched(page, site, nextPage(site, css));
    // Before the runtime: the boot has moved each one (a deadline of a minute: no one else would) and it has loaded.
    await page.waitForFunction((n) => window.CDNBoot?.records.length === n && window.CDNBoot.records.every((r) => r.done > 0), n, { timeout: 10000 });
    const boot = await page.evaluate(() => window.CDNBoot!.records.map((r) => [r.el.id, r.from, r.failed.length]));
    expect(boot.map(([id]) => id).sort()).toEqual([...(css ? ['css'] : []), 'n0', 'n1', 'n2', 'np']);
    const to = boot[0][1];
    expect(to).not.toBe('a');
    expect(boot.every(([, from, failed]) => from === to && failed === 0)).toBe(true);
    expect(runtime()).toBe(asked);
    release();
    const done = await settled(page, n);
    expect(done.every((e) => e.type === 'cdn:load' && e.source === to)).toBe(true);
    expect(await events(page, 'cdn:fallback')).toEqual([]);
    expect(await imageSources(page, site)).toEqual(Array(4).fill(to));
    if (css) expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site'))).toBe('1');
    // Shown once each; edge a asked at most once for each (by the preload scanner), the new edge once.
    expect((await loads(page)).filter((id) => id !== 'first')).toEqual([...(css ? ['css'] : []), 'n0', 'n1', 'n2', 'np']);
    for (const s of [site.a, site.edges.find((e) => e.name === to)!]) {
      const hits = s.hits((p) => p.startsWith('/img2/') || (s === site.a ? p.startsWith('/css/') : css && p.startsWith('/css/')));
      expect(hits.filter((p, i) => hits.indexOf(p) !== i)).toEqual([]);
    }
    expect(site.counts('/img2/')[to]).toBe(4);
  });

test('a page marked data-plain (the tools\' --plain-urls): the boot observes the parser on a first visit (it preloads the script), not on a returning visit with every edge remembered up; the runtime then runs the script and watches the plain image, each fetched once', async ({ page, site }) => {
  const body = (n: number) => `<img id="i${n}" src="${site.a.url}/img2/${n}.png" alt=""><script data-cdn-src="/js/one.js"></script>`;
  const manifest = { assets: ['/img2/', '/js/'] };
  const bootTook = () => page.evaluate(() => window.CDNBoot!.records.map((r) => r.el.tagName));
  const ran = () => page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);
  // First visit: nothing remembered, so the boot observes as on any page.
  let release = await holdRuntime(page);
  await openWatched(page, site, { body: body(0), manifest, plain: true });
  await page.waitForFunction(() => document.readyState !== 'loading');
  expect(await bootTook()).toEqual(['SCRIPT']);
  release();
  await settled(page, 2);
  await remembers(page, site.edges.map((e) => e.url), 1);
  // A returning visit, marked and (as a check that this test can fail) not marked.
  for (const plain of [true, false]) {
    release = await holdRuntime(page);
    await openWatched(page, site, { body: body(plain ? 1 : 2), manifest, plain, path: `/next-${plain}.html` });
    await page.waitForFunction(() => document.readyState !== 'loading');
    expect(await bootTook(), `data-plain: ${plain}`).toEqual(plain ? [] : ['SCRIPT']);
    release();
    const done = await settled(page, 2);
    // The image where it is written; the script at the edge `always` chose (the fastest remembered).
    expect(done.find((e) => e.el === `i${plain ? 1 : 2}`)).toMatchObject({ type: 'cdn:load', source: 'a' });
    expect(done.every((e) => e.type === 'cdn:load' && e.source !== 'origin')).toBe(true);
    expect(await ran()).toEqual(['one']);
  }
  expect(site.counts('/img2/')).toEqual({ origin: 0, a: 3, b: 0, c: 0 });
  const js = site.counts('/js/');
  expect([js.origin, js.a + js.b + js.c]).toEqual([0, 3]);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
});

test('healthy edge: the boot touches no plain image or stylesheet (the preload scanner\'s request is its request)', async ({ page, site }) => {
  const release = await holdRuntime(page);
  await countLoads(page);
  await openWatched(page, site, nextPage(site));
  await page.waitForFunction(() => document.readyState !== 'loading');
  await site.a.waitFor((p) => p === '/img2/2.png');
  expect(await page.evaluate(() => window.CDNBoot?.records.length)).toBe(0);
  release();
  await settled(page, 5);
  expect(site.counts('/img2/')).toEqual({ origin: 0, a: 4, b: 0, c: 0 });
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
  expect(await loads(page)).toEqual(['css', 'n0', 'n1', 'n2', 'np']);
  expect(await page.evaluate(() => [...document.querySelectorAll('[src],[srcset],link[href]')].map((e) => e.getAttribute('src') ?? e.getAttribute('srcset') ?? e.getAttribute('href')).filter((u) => u!.includes('/img2/') || u!.includes('/css/')))).toEqual([
    `${site.a.url}/css/site.css`,
    `${site.a.url}/img2/0.png`,
    `${site.a.url}/img2/1.png`,
    `${site.a.url}/img2/2.png`,
    `${site.a.url}/img2/p.webp 1x, ${site.a.url}/img2/p2.webp 2x`,
    `${site.a.url}/img2/p.png`,
  ]);
});

test('healthy: plain images and a stylesheet already shown when the runtime comes, and data-cdn-* images the boot loaded, each win at their first attempt: cdn:load, a loaded report row, the debug mark, nothing fetched again', async ({ page, site }) => {
  // Issue 14: no chain runs for them (chain.ts `_won`), and each still gets what a first attempt that loaded gives.
  const release = await holdRuntime(page);
  const next = nextPage(site);
  await openWatched(page, site, {
    ...next,
    body: next.body + `<img id="d0" data-cdn-src="/img2/d0.png" alt="d0"><img id="d1" data-cdn-src="/img2/d1.png" alt="">`,
    manifest: { ...next.manifest, debug: true },
  });
  // Everything shown before the runtime comes (which holds the load event: it is async).
  await page.waitForFunction(() => document.readyState !== 'loading' && !!document.styleSheets.length && [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  release();
  const done = await settled(page, 7);
  const ids = ['css', 'd0', 'd1', 'n0', 'n1', 'n2', 'np'];
  expect(done.map((e) => `${e.type}:${e.el}:${e.source}`).sort()).toEqual(ids.map((id) => `cdn:load:${id}:a`));
  expect(done.find((e) => e.el === 'n1')!.url).toBe(`${site.a.url}/img2/1.png`);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  const report = await page.evaluate(() => window.CDNLoader!.report().map((r) => `${r.path} ${r.source} ${r.url} ${r.state} ${r.tried.join()}`).sort());
  expect(report).toEqual(['/css/site.css', '/img2/0.png', '/img2/1.png', '/img2/2.png', '/img2/d0.png', '/img2/d1.png', '/img2/p.png'].map((p) => `${p} a ${site.a.url}${p} loaded a`));
  // The debug mark of an image an edge served.
  expect(await page.evaluate(() => [...document.images].map((i) => `${i.id}:${i.alt}:${i.title}`))).toEqual([
    'n0: [CDN]: [CDN]',
    'n1: [CDN]: [CDN]',
    'n2: [CDN]: [CDN]',
    'np: [CDN]: [CDN]',
    'd0:d0 [CDN]:d0 [CDN]',
    'd1: [CDN]: [CDN]',
  ]);
  expect(site.counts('/img2/')).toEqual({ origin: 0, a: 6, b: 0, c: 0 });
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
});

test('healthy: a shown plain image the page gives another src in a cdn:load listener, before its own chain ends, gets no cdn:load and keeps the page\'s URL', async ({ page, site }) => {
  const release = await holdRuntime(page);
  const next = nextPage(site, false);
  await openWatched(page, site, {
    ...next,
    // A gallery: the first image's load shows another picture in the second.
    head: `<script>document.addEventListener('cdn:load', (e) => e.detail.element.id === 'n0' && (document.getElementById('n1').src = '/other.png'))</script>`,
  });
  await page.waitForFunction(() => document.readyState !== 'loading' && [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  release();
  // n0, n2 and np load; n1's chain ends silently (the page owns its src now).
  // (Every chain of an element found shown ends in the runtime's first task: all are told by now.)
  expect((await settled(page, 3)).map((e) => e.el).sort()).toEqual(['n0', 'n2', 'np']);
  expect(await page.evaluate(() => document.getElementById('n1')!.getAttribute('src'))).toBe('/other.png');
  expect(await page.evaluate(() => window.CDNLoader!.report().find((r) => r.path === '/img2/1.png')?.state)).toBe('loading');
});

test('a plain element the boot moved goes on when its new edge fails too: on an error by the boot, on a hang by the runtime from when the boot set it', async ({ page, site }) => {
  // Two edges: the boot's choice off edge a is edge b, its next the origin.
  const edges = [site.a, site.b].map((e) => ({ id: e.name, url: e.url }));
  await site.a.set({ fault: 'refuse' });
  await firstPage(page, site, { edges });
  // On edge b the stylesheet and one image fail, the other image hangs. (An image: in Firefox a stylesheet that
  // hangs holds every image of the page, e2e/known.ts BLACKHOLED_STYLESHEET.)
  await site.b.set({ fault: 'status', status: 500 }, '/css/');
  await site.b.set({ fault: 'status', status: 500 }, '/img2/0.png');
  await site.b.set({ fault: 'blackhole' }, '/img2/1.png');
  const release = await holdRuntime(page);
  const next = nextPage(site);
  // In this order: an error on edge b marks it down for the boot's later choices (failed on this page), so what
  // the parser hands over after one goes to the origin at once. The hanging image comes first, then the failing
  // one: each is taken before any answer of b. The stylesheet comes last: the image's 500 may come before it
  // (CI once: it went to the origin at once), so it is checked either way.
  await openWatched(page, site, {
    ...next,
    head: '',
    body: `<img id="n1" src="${site.a.url}/img2/1.png" alt=""><img id="n0" src="${site.a.url}/img2/0.png" alt=""><link id="css" rel="stylesheet" href="${site.a.url}/css/site.css">`,
    manifest: { ...next.manifest, edges, failover: { timeout: 1000 } },
  });
  // What failed on edge b the boot moved to the origin, where it loaded; the other image hangs on b.
  await page.waitForFunction(() => window.CDNBoot?.records.filter((r) => r.done > 0).length === 2, null, { timeout: 10000 });
  const records = await page.evaluate(() => window.CDNBoot!.records.map((r) => [r.el.id, r.from, r.failed]));
  const cssFailed = records[2]?.[2] as string[];
  expect(records).toEqual([
    ['n1', 'b', []],
    ['n0', 'origin', ['b']],
    ['css', 'origin', cssFailed.length ? ['b'] : []],
  ]);
  release();
  const done = await settled(page, 3);
  expect(done.map((e) => `${e.type}:${e.el}:${e.source}`).sort()).toEqual(['cdn:load:css:origin', 'cdn:load:n0:origin', 'cdn:load:n1:origin']);
  expect((await events(page, 'cdn:fallback')).map((e) => `${e.el}:${e.from}:${e.to}:${e.reason}`).sort()).toEqual([
    ...(cssFailed.length ? ['css:b:origin:error'] : []),
    'n0:b:origin:error',
    'n1:b:origin:timeout',
  ]);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site'))).toBe('1');
  expect(site.a.hits((p) => p.startsWith('/img2/') || p.startsWith('/css/'))).toEqual([]);
  expect(site.counts('/img2/')).toEqual({ origin: 2, a: 0, b: 2, c: 0 });
});

// More than six plain images loading at one edge when the runtime comes wait without a chain each (runtime/plainWatch.ts
// `waiting`): each is taken when it loads, when six or fewer are left there, when nothing arrived there for a deadline,
// or when its edge goes down.
const many = (site: Site, n: number, dir: string) => Array.from({ length: n }, (_, i) => `<img id="m${i}" src="${site.a.url}${dir}${i}.png" alt="">`).join('\n');

test('a busy edge, more than six plain images: the last ones, answered a deadline after the page but less than one after the first, are not hedged', async ({ page, site }) => {
  // Six connections: the first six answer after 1.5 s, the other four 1.5 s later, 3 s after the page; the deadline is
  // 2 s. Counted from the page, the last four would be late; counted from when edge a last delivered while more than
  // six waited there (as deadline.ts counts attempts), they are not.
  await site.a.set({ fault: 'slow', delay: 1500 }, '/img3/');
  await openWatched(page, site, { body: many(site, 10, '/img3/'), manifest: { assets: ['/img3/'], failover: { timeout: 2000 } } });
  const done = await settled(page, 10);
  expect(done.map((e) => `${e.type}:${e.source}`)).toEqual(Array(10).fill('cdn:load:a'));
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(site.counts('/img3/')).toEqual({ origin: 0, a: 10, b: 0, c: 0 });
});

test('a hung edge, more than six plain images: each moves to the next source once a deadline passed with nothing arriving there, and is shown once', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' }, '/img3/');
  await openWatched(page, site, { body: many(site, 10, '/img3/'), manifest: { assets: ['/img3/'], failover: { timeout: 1000 } } });
  const done = await settled(page, 10);
  expect(done.filter((e) => e.type !== 'cdn:load' || e.source === 'a')).toEqual([]);
  expect((await events(page, 'cdn:fallback')).map((e) => `${e.from}:${e.reason}`)).toEqual(Array(10).fill('a:timeout'));
  const next = site.edges.filter((e) => e !== site.a).flatMap((e) => e.hits((p) => p.startsWith('/img3/')));
  expect(next.filter((p, i) => next.indexOf(p) !== i)).toEqual([]);
});

test('more than six plain images waiting at an edge that goes down on this page (another image failed there): they move at once, not at their deadline', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' }, '/img3/');
  await site.a.set({ fault: 'status', status: 500 }, '/img4/');
  // A deadline of a minute: only edge a going down can move them.
  await openWatched(page, site, { body: many(site, 8, '/img3/'), manifest: { assets: ['/img3/', '/img4/'], failover: { timeout: 60000 } } });
  await page.waitForFunction(() => window.CDNLoader?.edges().length);
  // A plain image a script adds, where no preload scanner sees it: it fails on edge a, loads from the next edge,
  // and edge a, blamed for it, goes down. (Without credentials: its request does not queue behind the six hung
  // connections of the others.)
  await page.evaluate((src) => document.body.append(Object.assign(new Image(), { id: 'bad', crossOrigin: 'anonymous', src })), `${site.a.url}/img4/0.png`);
  const done = await settled(page, 9, 20000);
  expect(done.filter((e) => e.type !== 'cdn:load' || e.source === 'a')).toEqual([]);
  expect((await events(page, 'cdn:edge')).filter((e) => e.id === 'a').map((e) => e.state)[0]).toBe('down');
});

test('a slow link, more than six plain images: the runtime comes after the first deadline, some of them shown; the rest, on their way on six connections, are not hedged', async ({ page, site }) => {
  // Twenty slow images answer 1.5 s after their request, six at a time (six connections): at 1.5, 3, 4.5 and 6 s. The
  // runtime comes once the first deadline (2.5 s) has passed: counted from the page the rest would be late, but those
  // shown say edge a delivered (as they did when each image had a chain).
  await site.a.set({ fault: 'slow', delay: 1500 }, '/img3/s');
  const release = await holdRuntime(page);
  const img = (name: string) => `<img id="${name}" src="${site.a.url}/img3/${name}.png" alt="">`;
  await openWatched(page, site, {
    body: ['f0', 'f1', ...Array.from({ length: 20 }, (_, i) => `s${i}`)].map(img).join('\n'),
    manifest: { assets: ['/img3/'], failover: { timeout: 2500 } },
  });
  await page.waitForFunction(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return nav.responseEnd > 0 && performance.now() > nav.responseEnd + 2800;
  });
  release();
  const done = await settled(page, 22);
  expect(done.map((e) => `${e.type}:${e.source}`)).toEqual(Array(22).fill('cdn:load:a'));
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(site.counts('/img3/')).toEqual({ origin: 0, a: 22, b: 0, c: 0 });
});
