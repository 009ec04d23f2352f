// Review of plain URLs at an edge, watched (runtime/plainWatch.ts): cases a production page meets that
// e2e/plainWatch.spec.ts does not cover. Each test asserts what the contract (SPEC.md §3) wants:
// nothing lost, never paid twice on a healthy edge, nothing set that the site did not write.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, events, sawEvent, settled, type Site } from './fixtures.js';
import { sri, styleBody } from './servers.js';

const GIF = Buffer.from('R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==', 'base64');
const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

/**
 * Opens a page of the split (manifest and boot inline in <head>, runtime async) with `head` and `body`;
 * `end`: the runtime's tag just before </body>, as the tools write it (else right after the boot).
 */
async function openWatched(page: Page, site: Site, o: { body?: string; head?: string; manifest?: object; end?: boolean }) {
  const runtime = `<script async src="/cdn-loader-runtime.js"></script>`;
  const head =
    `<script type="application/json" id="cdn-manifest">${JSON.stringify(o.manifest ?? site.manifest())}</script>\n` +
    `<script data-manifest="#cdn-manifest">${BOOT}</script>\n${o.end ? '' : runtime}\n${o.head ?? ''}`;
  site.origin.file('/page.html', `<!doctype html><html><head><meta charset="utf-8"><title>plain</title>\n${head}\n</head><body>\n${o.body ?? ''}\n${o.end ? runtime : ''}</body></html>`);
  // Not waiting for the load event: a hung resource holds it.
  await page.goto(site.origin.url + '/page.html', { waitUntil: 'commit' });
}

/** Waits until the runtime has taken over (its API is there). */
const started = (page: Page) => page.waitForFunction(() => typeof window.CDNLoader?.report === 'function');

test('healthy: a plain stylesheet whose asset has "integrity" in the manifest is requested once', async ({ page, site }) => {
  await site.a.set({ fault: 'slow', delay: 1500 }, '/css/');
  const manifest = site.manifest({ assets: ['/images/', { path: '/css/site.css', integrity: sri(styleBody('site')) }] });
  await openWatched(page, site, { head: `<link id="css" rel="stylesheet" href="${site.a.url}/css/site.css">`, manifest });
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'css', source: 'a' }]);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site'))).toBe('1');
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
});

test('healthy: a plain stylesheet already applied when the runtime comes, its asset with "integrity", is not fetched again', async ({ page, site }) => {
  const manifest = site.manifest({ assets: ['/images/', { path: '/css/site.css', integrity: sri(styleBody('site')) }] });
  // The runtime comes once the stylesheet is in.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route('**/cdn-loader-runtime.js', async (route) => (await released, route.continue()));
  await openWatched(page, site, { head: `<link id="css" rel="stylesheet" href="${site.a.url}/css/site.css">`, manifest });
  await page.waitForFunction(() => !!(document.getElementById('css') as HTMLLinkElement).sheet);
  release();
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'css', source: 'a' }]);
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
});

test('healthy: a plain stylesheet with its own integrity and crossorigin is requested once', async ({ page, site }) => {
  await site.a.set({ fault: 'slow', delay: 1500 }, '/css/');
  await openWatched(page, site, {
    head: `<link id="css" rel="stylesheet" href="${site.a.url}/css/site.css" integrity="${sri(styleBody('site'))}" crossorigin="anonymous">`,
  });
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'css', source: 'a' }]);
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
});

test('healthy: a plain <picture> whose <source> at the edge was chosen, its <img src> an unregistered origin URL, is left as it is', async ({ page, site }) => {
  await site.a.set({ fault: 'slow', delay: 1500 }, '/images/');
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await openWatched(page, site, {
    body: `<picture><source srcset="${site.a.url}/images/p.webp" type="image/webp"><img id="p" src="/legacy/p.png" alt=""></picture>`,
  });
  await started(page);
  await page.waitForFunction(() => (document.getElementById('p') as HTMLImageElement).complete);
  expect(await page.evaluate(() => (document.getElementById('p') as HTMLImageElement).currentSrc)).toBe(`${site.a.url}/images/p.webp`);
  expect(await page.evaluate(() => document.querySelector('source')!.getAttribute('srcset'))).toBe(`${site.a.url}/images/p.webp`);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
  expect(warnings.filter((w) => w.includes('/legacy/'))).toEqual([]);
});

test('healthy: a plain <picture> shown when the runtime comes, its <source> at the edge chosen and its <img src> an unregistered origin URL, is left as it is', async ({ page, site }) => {
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route('**/cdn-loader-runtime.js', async (route) => (await released, route.continue()));
  await openWatched(page, site, {
    body: `<picture><source srcset="${site.a.url}/images/p.webp" type="image/webp"><img id="p" src="/legacy/p.png" alt=""></picture>`,
  });
  await page.waitForFunction(() => (document.getElementById('p') as HTMLImageElement).naturalWidth > 0);
  release();
  // The runtime looks at the page once its manifest is in force (cdn:ready), in the same task.
  await sawEvent(page, 'cdn:ready');
  expect(await page.evaluate(() => document.querySelector('source')!.getAttribute('srcset'))).toBe(`${site.a.url}/images/p.webp`);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
  expect(warnings.filter((w) => w.includes('/legacy/'))).toEqual([]);
});

/** A stylesheet at hung edge a in <head>, then an inline script (parser-blocking) and an image at a in <body>. */
async function hungStylesheetThenScript(page: Page, site: Site, end: boolean) {
  await site.a.set({ fault: 'blackhole' }, '/css/');
  await openWatched(page, site, {
    head: `<link id="css" rel="stylesheet" href="${site.a.url}/css/site.css">`,
    body: `<p>text</p><script>window.__inline = 1</script><img id="i" src="${site.a.url}/images/0.png" alt="">`,
    manifest: site.manifest({ failover: { timeout: 1000 } }),
    end,
  });
}

test('a plain stylesheet at a hung edge, the runtime in <head>, an inline script in <body>: once it moved, the page parses on (Firefox: never)', async ({ page, site }) => {
  await hungStylesheetThenScript(page, site, false);
  // Once the stylesheet applies from edge b, the inline script it held runs, and the parser goes on.
  await page.waitForFunction(() => (window as unknown as { __inline?: number }).__inline === 1, null, { timeout: 10000 });
  expect((await settled(page, 2)).map((e) => `${e.type}:${e.el}:${e.source}`).sort()).toEqual(['cdn:load:css:b', 'cdn:load:i:a']);
});

test('a plain image at a hung edge whose src the page then changes keeps the page\'s URL (the chain does not write its old one back)', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' }, '/images/');
  // The page's new image is slow: the hedge for the old one wins first. (The deadline is long enough
  // that the page changes the src before it, once the runtime has taken the image.)
  await site.origin.set({ fault: 'slow', delay: 5000 }, '/other/');
  await openWatched(page, site, { body: `<img id="i" src="${site.a.url}/images/0.png" alt="">`, manifest: site.manifest({ failover: { timeout: 3000 } }) });
  await sawEvent(page, 'cdn:ready');
  await page.evaluate(() => ((document.getElementById('i') as HTMLImageElement).src = '/other/new.png'));
  expect(site.b.hits()).toEqual([]);
  // The page's image arrives after the old one's deadline (3 s): by then the chain has let the element go, so it
  // neither hedges the old path (before: edge b served it, and the chain wrote b's URL over the page's) nor writes.
  await page.waitForFunction(() => (document.getElementById('i') as HTMLImageElement).complete, null, { timeout: 15000 });
  expect(await page.evaluate(() => document.getElementById('i')!.getAttribute('src'))).toBe('/other/new.png');
  expect(site.b.hits().filter((p) => p.startsWith('/images/'))).toEqual([]);
});

test('healthy: a plain lazy image below the fold is neither requested nor timed until it is scrolled to, then requested once', async ({ page, site }) => {
  await openWatched(page, site, {
    body: `<div style="height:5000px"></div><img id="lazy" loading="lazy" src="${site.a.url}/images/lazy.png" width="10" height="10" alt="">`,
    manifest: site.manifest({ failover: { timeout: 400 } }),
  });
  await sawEvent(page, 'cdn:ready');
  await page.waitForFunction(() => document.readyState === 'complete');
  // Many deadlines later: nothing fetched, nothing moved.
  await page.waitForFunction(() => performance.now() > 3000);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 0, b: 0, c: 0 });
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  await page.evaluate(() => document.getElementById('lazy')!.scrollIntoView());
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'lazy', source: 'a' }]);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
});

test('healthy: a plain image a script adds after a slow script, before the page is parsed, is not taken for late (its clock is not the HTML\'s end)', async ({ page, site }) => {
  // The page's own script holds the parser 2.5 s; then an inline script adds an image at edge a, which answers in 300 ms.
  // Timed from the HTML's end it would be late at once (2.5 s > the 1.5 s deadline); from when it was added, it has
  // 1.2 s to spare (with 600 ms and a 1 s deadline, a loaded CI machine moved it to edge b in Firefox).
  await site.origin.set({ fault: 'slow', delay: 2500 }, '/slow/');
  await site.a.set({ fault: 'slow', delay: 300 }, '/images/');
  await openWatched(page, site, {
    body:
      `<script src="/slow/app.js"></script>` +
      `<script>const i = new Image(); i.id = 'added'; i.alt = ''; i.src = ${JSON.stringify(site.a.url + '/images/added.png')}; document.body.append(i)</script>`,
    manifest: site.manifest({ failover: { timeout: 1500 } }),
  });
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'added', source: 'a' }]);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
});

test('a plain image the runtime watches that then errors at its edge moves once: one chain, not also the plain-error retry', async ({ page, site }) => {
  // Edge a's answer (a 500) is held until the runtime has taken the image.
  let answer!: () => void;
  const held = new Promise<void>((r) => (answer = r));
  await page.route(`${site.a.url}/images/0.png`, async (route) => (await held, route.fulfill({ status: 500, contentType: 'text/html', body: '<h1>500</h1>' })));
  await openWatched(page, site, { body: `<img id="i" src="${site.a.url}/images/0.png" alt="">` });
  await sawEvent(page, 'cdn:ready');
  answer();
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'i', source: 'b' }]);
  expect(await events(page, 'cdn:fallback')).toMatchObject([{ el: 'i', from: 'a', to: 'b', reason: 'error' }]);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 0, b: 1, c: 0 });
  expect(await page.evaluate(() => window.CDNLoader!.report().filter((r) => r.path === '/images/0.png'))).toMatchObject([{ source: 'b', state: 'loaded' }]);
});

test('as --plain-urls writes it (integrity on the tag and in the manifest) at a hung edge: the next source serves the stylesheet once', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' }, '/css/');
  const integrity = sri(styleBody('site'));
  await openWatched(page, site, {
    head: `<link id="css" rel="stylesheet" href="${site.a.url}/css/site.css" integrity="${integrity}" crossorigin="anonymous">`,
    manifest: site.manifest({ assets: ['/images/', { path: '/css/site.css', integrity }], failover: { timeout: 1000 } }),
  });
  expect(await settled(page, 1)).toMatchObject([{ type: 'cdn:load', el: 'css', source: 'b' }]);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site'))).toBe('1');
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 1, c: 0 });
});
