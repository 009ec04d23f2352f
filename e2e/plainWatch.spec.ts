// Plain URLs at an edge, watched (issue 14, docs/first-visit.md "Plain URLs at the edge, watched"): a
// plain `src`/`href` of a registered asset that is still loading when the split's runtime comes is
// timed like one the boot started, and moved to its next source on a hang, at once when its edge is
// known down; a healthy one is left as it is, requested once.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, events, settled, imageSources, type Site } from './fixtures.js';

const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

/** Opens a page of the split (manifest and boot inline, runtime async) with `head` after the runtime's tag and `body`. */
async function openWatched(page: Page, site: Site, o: { body?: string; head?: string; manifest?: object; path?: string }) {
  const path = o.path ?? '/page.html';
  const head =
    `<script type="application/json" id="cdn-manifest">${JSON.stringify(site.manifest(o.manifest))}</script>\n` +
    `<script data-manifest="#cdn-manifest">${BOOT}</script>\n<script async src="/cdn-loader-runtime.js"></script>\n${o.head ?? ''}`;
  site.origin.file(path, `<!doctype html><html><head><meta charset="utf-8"><title>plain</title>\n${head}\n</head><body>\n${o.body ?? ''}\n</body></html>`);
  // Not waiting for the load event: a hung resource holds it.
  await page.goto(site.origin.url + path, { waitUntil: 'commit' });
}

const row = (page: Page, path: string) => page.evaluate((p) => window.CDNLoader!.report().find((r) => r.path === p), path);

test('blackholed edge: a plain <img src> there arrives from the next source, and on the next page at once (edge remembered down)', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' });
  await openWatched(page, site, { body: `<img id="plain" src="${site.a.url}/images/0.png" alt="">`, manifest: { failover: { timeout: 1000 } } });
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'plain', source: 'b' }]);
  expect(await imageSources(page, site)).toEqual(['b']);
  expect(await events(page, 'cdn:fallback')).toMatchObject([{ el: 'plain', from: 'a', to: 'b', reason: 'timeout' }]);
  // A deadline of a minute: only edge a being remembered down can move it.
  await openWatched(page, site, { body: `<img id="next" src="${site.a.url}/images/1.png" alt="">`, manifest: { failover: { timeout: 60000 } }, path: '/next.html' });
  const [next] = await settled(page, 1);
  expect(next).toMatchObject({ type: 'cdn:load', el: 'next' });
  expect(next.source).not.toBe('a');
  expect(await events(page, 'cdn:fallback')).toMatchObject([{ el: 'next', from: 'a', reason: 'timeout' }]);
  expect(site.a.hits((p) => p === '/images/1.png')).toEqual(['/images/1.png']);
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
