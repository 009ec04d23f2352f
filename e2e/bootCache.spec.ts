// Returning visits without the inline boot's bytes (runtime/bootCache.ts, docs/first-visit.md): the
// runtime caches the boot's file after the first page and sets the cookie `cdn_boot`; the server then
// writes `<script src>` for the boot. Counts what each server received: the boot's file once, nothing twice.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, settled, imageSources, type Site } from './fixtures.js';

const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');
const BOOT_SRC = '/boot/cdn-loader-boot.js';
const COOKIE = `cdn_boot=${encodeURIComponent(BOOT_SRC)}`;

/** 4 images, a stylesheet and 3 ordered scripts, all data-cdn-*. */
const BODY = (dir: string) =>
  Array.from({ length: 4 }, (_, i) => `<img id="i${i}" data-cdn-src="${dir}${i}.png" alt="">`).join('\n') +
  `<link rel="stylesheet" data-cdn-href="/css/site.css">` +
  ['one', 'two', 'three'].map((s) => `<script data-cdn-src="/js/${s}.js"></script>`).join('');
const SETTLED = 8;

/** Serves `path` in both forms the server writes: the inline boot naming its file, and (to the cookie) `<script src>`. */
function serve(site: Site, path: string, dir: string, manifest: object, bootSrc = BOOT_SRC, twin = true) {
  const html = (boot: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>returning</title>\n<script type="application/json" id="cdn-manifest">${JSON.stringify(manifest)}</script>\n${boot}\n` +
    `<script async src="/cdn-loader-runtime.js" data-manifest="#cdn-manifest"></script>\n</head><body>\n${BODY(dir)}\n</body></html>`;
  site.origin.file(path, html(`<script data-manifest="#cdn-manifest" data-boot-src="${bootSrc}">${BOOT}</script>`), 'text/html; charset=utf-8');
  if (twin) site.origin.file(`${path}#${COOKIE}`, html(`<script src="${BOOT_SRC}" data-manifest="#cdn-manifest"></script>`), 'text/html; charset=utf-8');
}

const ran = (page: Page) => page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);
const bootForm = (page: Page) =>
  page.evaluate(() => (document.querySelector('script[src*="cdn-loader-boot"]') ? 'src' : document.querySelector('script[data-boot-src]') ? 'inline' : 'none'));

test('a returning page gets the boot from the HTTP cache: cached once after the first page, and an edge that refuses is still failed over by it', async ({ page, site }) => {
  site.origin.file(BOOT_SRC, BOOT, 'text/javascript', { 'Cache-Control': 'public, max-age=3600' });
  const manifest = site.manifest({ failover: { timeout: 1000 } });
  serve(site, '/page.html', '/images/', manifest);
  serve(site, '/next.html', '/images/next/', manifest);

  await page.goto(site.origin.url + '/page.html', { waitUntil: 'commit' });
  expect(await bootForm(page)).toBe('inline');
  await settled(page, SETTLED);
  // After the load event, when the browser is idle: the boot's file, then the cookie.
  await page.waitForFunction((c) => document.cookie.split('; ').includes(c), COOKIE);
  expect(site.origin.hits((p) => p === BOOT_SRC)).toEqual([BOOT_SRC]);

  // The next page: the server's returning form; the boot comes from the cache, and edge a refuses: the
  // boot, run from its file, fails over what it started there from the first error on.
  await site.a.set({ fault: 'refuse' });
  await page.goto(site.origin.url + '/next.html', { waitUntil: 'commit' });
  const next = await settled(page, SETTLED);
  expect(await bootForm(page)).toBe('src');
  expect(site.origin.hits((p) => p === BOOT_SRC)).toEqual([BOOT_SRC]);
  expect(next.every((e) => e.type === 'cdn:load' && e.source !== 'a')).toBe(true);
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
  // The boot ran from its file: it started the page's resources (and then failed them over, or the runtime did,
  // as the refusals came before or after the runtime's takeover).
  expect(await page.evaluate(() => window.CDNBoot?.records.length)).toBe(SETTLED);
  // (On the next healthy edge: b or c, as their remembered latencies say.)
  expect((await imageSources(page, site)).filter((s) => s !== 'b' && s !== 'c')).toEqual([]);
  // Nothing arrived twice.
  for (const s of [site.origin, ...site.edges]) {
    const hits = s.hits((p) => /^\/(images\/next|css|js)\//.test(p));
    expect(hits.filter((p, i) => hits.indexOf(p) !== i)).toEqual([]);
  }
  // The boot ran from its file: the cookie stays.
  await afterRuntime(page);
  expect(await page.evaluate(() => document.cookie)).toBe(COOKIE);

  // A page the server still inlines (no returning form of it): the cookie already names the file, which is not fetched again.
  await site.a.set({ fault: 'ok' });
  serve(site, '/third.html', '/images/third/', manifest, BOOT_SRC, false);
  await page.goto(site.origin.url + '/third.html', { waitUntil: 'commit' });
  await settled(page, SETTLED);
  expect(await bootForm(page)).toBe('inline');
  await afterRuntime(page);
  expect(site.origin.hits((p) => p === BOOT_SRC)).toEqual([BOOT_SRC]);
  expect(await page.evaluate(() => document.cookie)).toBe(COOKIE);
});

/**
 * Waits until the runtime's work after the load event is done: after the load event, an idle callback queued
 * after the runtime's own, then two fetches one after the other (the runtime's fetch went out first).
 */
async function afterRuntime(page: Page) {
  await page.waitForLoadState('load');
  await page.evaluate(
    () =>
      new Promise((done) =>
        (window.requestIdleCallback || setTimeout)(() => fetch('/').then((r) => r.text()).then(() => fetch('/')).then((r) => r.text()).then(done, done), { timeout: 2000 } as never),
      ),
  );
}

test('a boot file the runtime cannot use sets no cookie: missing, another text (a fallback page), not to be cached, or on another origin (never fetched)', async ({ page, site }) => {
  const manifest = site.manifest();
  site.origin.file('/boot/fallback.js', '<!doctype html><title>the site</title>', 'text/html', { 'Cache-Control': 'public, max-age=3600' });
  site.origin.file('/boot/nostore.js', BOOT, 'text/javascript', { 'Cache-Control': 'no-store' });
  // (Any other .js the test server makes up: this one answers 404.)
  await site.origin.set({ fault: 'status', status: 404 }, '/boot/missing.js');
  const cases: [string, string][] = [
    ['/boot/missing.js', '/boot/missing.js'],
    ['/boot/fallback.js', '/boot/fallback.js'],
    ['/boot/nostore.js', '/boot/nostore.js'],
    [`${site.b.url}${BOOT_SRC}`, ''],
  ];
  for (const [i, [src, asked]] of cases.entries()) {
    serve(site, `/p${i}.html`, `/images/${i}/`, manifest, src);
    await page.goto(site.origin.url + `/p${i}.html`, { waitUntil: 'commit' });
    await settled(page, SETTLED);
    expect(await bootForm(page)).toBe('inline');
    // The runtime's fetch of the file has ended (its entry is there once its body is read), then its task.
    if (asked) await page.waitForFunction((u) => performance.getEntriesByName(u).length > 0, new URL(asked, site.origin.url).href);
    await afterRuntime(page);
    expect(await page.evaluate(() => document.cookie), src).toBe('');
  }
  expect(site.b.hits((p) => p === BOOT_SRC)).toEqual([]);
});

test('a cookie whose boot did not run (its file gone from the cache and the server) is taken back: the next page inlines the boot again', async ({ page, site }) => {
  const manifest = site.manifest();
  serve(site, '/page.html', '/images/', manifest);
  await page.context().addCookies([{ name: 'cdn_boot', value: encodeURIComponent(BOOT_SRC), url: site.origin.url }]);
  await page.goto(site.origin.url + '/page.html', { waitUntil: 'commit' });
  // The returning form, whose boot's file is not there: the runtime alone loads the page (its tag names the
  // manifest, as the tools write it), and takes the cookie back.
  await settled(page, SETTLED);
  expect(await bootForm(page)).toBe('src');
  expect(await page.evaluate(() => !!window.CDNBoot)).toBe(false);
  // (For a day as "-", which names no file: a boot blocked by URL is not named again by the next inline page.)
  await page.waitForFunction(() => document.cookie == 'cdn_boot=-');
  await page.goto(site.origin.url + '/page.html?again', { waitUntil: 'commit' });
  await settled(page, SETTLED);
  expect(await bootForm(page)).toBe('inline');
  expect(await ran(page)).toEqual(['one', 'two', 'three']);
  await afterRuntime(page);
  expect(await page.evaluate(() => document.cookie)).toBe('cdn_boot=-');
});
