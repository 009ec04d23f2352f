// The site can always take the loader back, and the loader's storage stays bounded: a withdrawn
// manifest (404/410) stops being used, an unreadable one is used for a bounded time only, `mode: off`
// takes effect on the next page, and forty deploys of a large versioned manifest leave the site room.
import type { Page } from '@playwright/test';
import { test, expect, events, images, imageSources, settled, type Site } from './fixtures.js';
import { scriptBody, sri, styleBody } from './servers.js';

const KEY = 'cdn-loader:manifest';
/** The loader's cached manifest entry: [url, manifest, failing since]. */
const entry = (page: Page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? 'null') as [string, unknown, number] | null, KEY);
/** Everything the loader keeps of manifests (any key of it), or null when it keeps nothing. */
const cached = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cdn-loader:manifest')).map((k) => localStorage.getItem(k)).join('\n') || null);
/** Every request the edges received, probes included. */
const edgeTraffic = (site: Site) => site.edges.reduce((n, e) => n + e.log.length, 0);

/** Page 1: the manifest is fetched, applied and cached; every image comes from edge a. */
async function firstVisit(page: Page, site: Site, extra: object = {}) {
  await site.open(images(3), { manifest: site.manifest({ edges: [{ id: 'a', url: site.a.url }], ...extra }) });
  await settled(page, 3);
  expect(await imageSources(page, site)).toEqual(['a', 'a', 'a']);
  await expect.poll(() => cached(page)).not.toBeNull();
}

/** Opens the page again (Date.now shifted by `later` ms) and waits for its images (from the origin, no event says so). */
async function visit(page: Page, later = 0) {
  if (later)
    await page.addInitScript((ms) => {
      const now = Date.now;
      Date.now = () => now() + ms;
    }, later);
  await page.reload();
  await page.waitForFunction(() => document.images.length === 3 && Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
}

for (const status of [404, 410])
  test(`a manifest URL that answers ${status}: the cached copy is dropped, the next page loads everything from the origin`, async ({ page, site }) => {
    await firstVisit(page, site);
    await site.origin.set({ fault: 'status', status }, '/cdn-manifest.json');
    // This page started from the cached copy before it learnt of the withdrawal.
    await visit(page);
    await expect.poll(() => cached(page), { message: 'the cached manifest is dropped' }).toBeNull();
    const before = edgeTraffic(site);
    await visit(page);
    expect(await imageSources(page, site)).toEqual(['origin', 'origin', 'origin']);
    expect(edgeTraffic(site) - before).toBe(0);
  });

test('a manifest URL that answers 500: the cached copy is used for a day (the default maxStale) after the first failure, then no longer', async ({ page, site }) => {
  await firstVisit(page, site);
  await site.origin.set({ fault: 'status', status: 500 }, '/cdn-manifest.json');
  await visit(page);
  expect(await imageSources(page, site)).toEqual(['a', 'a', 'a']);
  await expect.poll(() => entry(page).then((e) => e?.[2]), { message: 'the first failure is recorded' }).toBeGreaterThan(0);
  await visit(page, 23 * 3600e3);
  expect(await imageSources(page, site)).toEqual(['a', 'a', 'a']);
  const before = edgeTraffic(site);
  await visit(page, 25 * 3600e3);
  expect(await imageSources(page, site)).toEqual(['origin', 'origin', 'origin']);
  expect(edgeTraffic(site) - before).toBe(0);
});

test('"maxStale": 0 in the manifest: one unreadable answer (HTML with status 200) ends the cached copy on the next page', async ({ page, site }) => {
  await firstVisit(page, site, { maxStale: 0 });
  site.origin.file('/cdn-manifest.json', '<!doctype html><title>Maintenance</title>', 'text/html');
  await visit(page);
  await expect.poll(() => entry(page).then((e) => e?.[2]), { message: 'the failure is recorded' }).toBeGreaterThan(0);
  const before = edgeTraffic(site);
  await visit(page);
  expect(await imageSources(page, site)).toEqual(['origin', 'origin', 'origin']);
  expect(edgeTraffic(site) - before).toBe(0);
});

test('a good answer after unreadable ones makes the cached copy fresh again', async ({ page, site }) => {
  await firstVisit(page, site, { maxStale: 0 });
  await site.origin.set({ fault: 'status', status: 503 }, '/cdn-manifest.json');
  await visit(page);
  await expect.poll(() => entry(page).then((e) => e?.[2])).toBeGreaterThan(0);
  await site.origin.set({ fault: 'ok' }, '/cdn-manifest.json');
  // Waits for the manifest (the copy has expired), which answers again and is cached afresh.
  await visit(page);
  expect(await imageSources(page, site)).toEqual(['a', 'a', 'a']);
  await expect.poll(() => entry(page).then((e) => e?.[2])).toBe(0);
});

test('"mode": "off" in a new manifest takes effect on the next page: no probe, everything from the origin', async ({ page, site }) => {
  await firstVisit(page, site);
  site.origin.file('/cdn-manifest.json', JSON.stringify(site.manifest({ mode: 'off', edges: [{ id: 'a', url: site.a.url }] })), 'application/json');
  await visit(page);
  await expect.poll(() => cached(page)).toMatch(/"mode\\?":\\?"off/);
  const before = edgeTraffic(site);
  await visit(page);
  expect(await imageSources(page, site)).toEqual(['origin', 'origin', 'origin']);
  expect(edgeTraffic(site) - before).toBe(0);
});

test('forty deploys of a 260 kB versioned manifest: one cached copy, and the site can still store 300 kB', async ({ page, site }) => {
  test.setTimeout(120000);
  /** A manifest as `cdn-loader manifest --exact` writes it: 2,000 files with integrity, new hashes every version. */
  const big = (v: number) =>
    site.manifest({
      assets: [
        '/images/',
        ...Array.from({ length: 2000 }, (_, i) => ({
          path: `/static/chunk-${i}-${(v * 7919 + i).toString(16).padStart(8, '0')}.js`,
          integrity: 'sha384-' + Buffer.from(`${v}:${i}`.padEnd(48, '#')).toString('base64'),
        })),
      ],
    });
  expect(JSON.stringify(big(1)).length).toBeGreaterThan(250e3);
  for (let v = 1; v <= 40; v++) {
    site.origin.file('/cdn-manifest.json', JSON.stringify(big(v)), 'application/json');
    await site.open(images(1), { manifest: null, tag: `data-manifest="/cdn-manifest.json?v=${v}"` });
    // The manifest is cached before it is applied.
    await settled(page, 1);
  }
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cdn-loader')).sort())).toEqual(['cdn-loader:health', 'cdn-loader:manifest']);
  expect(
    await page.evaluate(() => {
      try {
        localStorage.setItem('site:draft', 'x'.repeat(300e3));
        return 'stored';
      } catch (e) {
        return (e as DOMException).name;
      }
    }),
  ).toBe('stored');
});

test('a write the quota refuses leaves no entry behind, not even the older one', async ({ page, site }) => {
  await firstVisit(page, site);
  // The site fills what is left of its storage; the next manifest cannot be written.
  await page.evaluate(() => {
    for (let size = 1 << 20, i = 0; size >= 1024 && i < 1000; )
      try {
        localStorage.setItem('site:fill:' + i++, 'x'.repeat(size));
      } catch {
        size >>= 1;
      }
  });
  site.origin.file('/cdn-manifest.json', JSON.stringify(site.manifest({ edges: [{ id: 'a', url: site.a.url }], assets: ['/images/', ...Array.from({ length: 4000 }, (_, i) => `/x/${i}.png`)] })), 'application/json');
  await visit(page);
  await expect.poll(() => cached(page), { message: 'the older copy is gone' }).toBeNull();
});

test('a deploy: the first visit after it starts from the cached manifest, whose integrity matches no source; it loses nothing and blames no edge', async ({ page, site }) => {
  const files = (v: number) => ({ js: v === 1 ? scriptBody('app') : scriptBody('app-v2'), css: v === 1 ? styleBody('site') : 'html{--site:2}\n' });
  const deploy = (v: number) => {
    const f = files(v);
    for (const s of [site.origin, ...site.edges]) {
      s.file('/js/app.js', f.js, 'text/javascript');
      s.file('/css/site.css', f.css, 'text/css');
    }
    // As `cdn-loader manifest` writes it, with Cache-Control: no-cache on the files (the servers send no-store).
    const manifest = site.manifest({
      assets: ['/images/', { path: '/js/app.js', integrity: sri(f.js) }, { path: '/css/site.css', integrity: sri(f.css) }, '/js/after.js'],
    });
    site.origin.file('/cdn-manifest.json', JSON.stringify(manifest), 'application/json');
  };
  const body = '<link id="css" rel="stylesheet" data-cdn-href="/css/site.css"><script data-cdn-src="/js/app.js"></script><script data-cdn-src="/js/after.js"></script>';
  deploy(1);
  await site.open(body, { manifest: null });
  await settled(page, 3);
  expect(await page.evaluate(() => (window as unknown as { __ran: string[] }).__ran)).toEqual(['app', 'after']);
  await expect.poll(() => cached(page)).not.toBeNull();
  deploy(2);
  await page.reload();
  await settled(page, 3);
  expect(await page.evaluate(() => (window as unknown as { __ran: string[] }).__ran)).toEqual(['app-v2', 'after']);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site').trim())).toBe('2');
  expect(await events(page, 'cdn:error')).toEqual([]);
  expect((await events(page, 'cdn:edge')).filter((e) => e.state === 'down')).toEqual([]);
  expect(await page.evaluate(() => window.CDNLoader!.edges().map((e) => e.state))).toEqual(['up', 'up', 'up']);
});

test('an integrity failure the origin shares (a wrong hash, no newer manifest) blames no edge', async ({ page, site }) => {
  const manifest = site.manifest({ assets: [{ path: '/js/bad.js', integrity: sri('not this file') }, '/js/after.js'] });
  await site.open('<script data-cdn-src="/js/bad.js"></script><script data-cdn-src="/js/after.js"></script>', { manifest });
  const done = await settled(page, 2);
  expect(done.map((e) => [e.type, e.el])).toEqual([
    ['cdn:error', '/js/bad.js'],
    ['cdn:load', '/js/after.js'],
  ]);
  expect((await events(page, 'cdn:fallback')).map((e) => e.reason)).toEqual(['integrity', 'integrity']);
  expect((await events(page, 'cdn:edge')).filter((e) => e.state === 'down')).toEqual([]);
  expect(await page.evaluate(() => window.CDNLoader!.edges().map((e) => e.state))).toEqual(['up', 'up', 'up']);
});

test('an integrity failure the origin does not share still marks the edge down', async ({ page, site }) => {
  await site.a.set({ fault: 'corrupt' }, '/js/');
  const manifest = site.manifest({ edges: [{ id: 'a', url: site.a.url }], assets: [{ path: '/js/app.js', integrity: sri(scriptBody('app')) }] });
  await site.open('<script data-cdn-src="/js/app.js"></script>', { manifest });
  expect((await settled(page, 1)).map((e) => e.source)).toEqual(['origin']);
  // Down at once; a probe (which the edge answers) may bring it back up a second later.
  await expect.poll(async () => (await events(page, 'cdn:edge')).map((e) => [e.id, e.state])[0]).toEqual(['a', 'down']);
});
