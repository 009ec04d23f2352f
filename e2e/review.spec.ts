// Review of the boot/runtime split (issue 14): cases where the boot's choices and the runtime's differ.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, settled, imageSources, type Site } from './fixtures.js';

const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

/** The split page: manifest inline, the boot (with `bootAttrs`), the runtime async. */
async function openSplit(page: Page, site: Site, body: string, manifest: object, bootAttrs = '') {
  const head =
    `<script type="application/json" id="cdn-manifest">${JSON.stringify(manifest)}</script>\n` +
    `<script ${bootAttrs} data-manifest="#cdn-manifest">${BOOT}</script>\n` +
    `<script async src="/cdn-loader-runtime.js"></script>`;
  site.origin.file('/page.html', `<!doctype html><html><head><meta charset="utf-8"><title>split</title>\n${head}\n</head><body>\n${body}\n</body></html>`, 'text/html; charset=utf-8');
  await page.goto(site.origin.url + '/page.html', { waitUntil: 'commit' });
}

const imgs = (ids: number[]) => ids.map((i) => `<img id="i${i}" data-cdn-src="/images/${i}.png" alt="">`).join('\n');
const append = (page: Page, ids: number[]) =>
  page.evaluate((ids) => {
    for (const i of ids) {
      const img = document.createElement('img');
      img.id = 'i' + i;
      img.setAttribute('data-cdn-src', `/images/${i}.png`);
      document.body.appendChild(img);
    }
  }, ids);

test('data-mode on the boot\'s tag: the runtime keeps the boot\'s mode (images added later load as the boot chose)', async ({ page, site }) => {
  await openSplit(page, site, imgs([0, 1]), site.manifest(), 'data-mode="off"');
  await settled(page, 2);
  // The boot put both on the origin, as data-mode="off" says.
  expect(await imageSources(page, site)).toEqual(['origin', 'origin']);
  await append(page, [2]);
  await settled(page, 3);
  expect(await page.evaluate(() => window.CDNLoader!.mode)).toBe('off');
  expect(await imageSources(page, site)).toEqual(['origin', 'origin', 'origin']);
});

test('round-robin: the runtime goes on with the boot\'s rotation, so a page spreads as the one tag does', async ({ page, site }) => {
  // Two edges and the origin in the rotation: 4 images by the boot, 2 added once the runtime runs.
  const manifest = site.manifest({ mode: 'round-robin', edges: [site.a.url, site.b.url] });
  await openSplit(page, site, imgs([0, 1, 2, 3]), manifest);
  await settled(page, 4);
  await append(page, [4, 5]);
  await settled(page, 6);
  // Smooth round-robin over a, b, origin: 6 choices are 2 each (the one-tag loader gives a b origin a b origin).
  expect(await imageSources(page, site)).toEqual(['a', 'b', 'origin', 'a', 'b', 'origin']);
});

test('a boot of another release: an image added after the runtime came is handled once (the boot must stop taking new elements)', async ({ page, site }) => {
  await site.a.set({ fault: 'refuse' });
  const head =
    `<script type="application/json" id="cdn-manifest">${JSON.stringify(site.manifest())}</script>\n` +
    `<script data-manifest="#cdn-manifest">${BOOT}</script><script>window.CDNBoot.v = 0</script>\n` +
    `<script async src="/cdn-loader-runtime.js"></script>`;
  site.origin.file('/page.html', `<!doctype html><html><head><meta charset="utf-8"><title>old boot</title>\n${head}\n</head><body></body></html>`, 'text/html; charset=utf-8');
  await page.goto(site.origin.url + '/page.html');
  await page.waitForFunction(() => !!window.CDNLoader);
  await append(page, [7]);
  await settled(page, 1);
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 10000 });
  // The runtime binds it; the old boot must not take it too (two loaders on one element).
  expect(await page.evaluate(() => window.CDNBoot!.records.map((r) => r.el.id))).toEqual([]);
  // Edge a refuses (no request reaches it): one request, on b or c (`always` goes by the latencies probed).
  const n = site.counts('/images/7.png');
  expect([n.origin, n.a, n.b + n.c]).toEqual([0, 0, 1]);
});

test('a data: URL among a srcset\'s candidates stays as written (an unregistered URL loads as written)', async ({ page, site }) => {
  const gif = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
  // As `cdn-loader rewrite` writes <img src="/images/0.png" srcset="data:… 1x, /images/0.png 2x"> (one URL registered).
  await openSplit(page, site, `<img id="i0" data-cdn-src="/images/0.png" data-cdn-srcset="${gif} 1x, /images/0.png 2x" alt="">`, site.manifest());
  await settled(page, 1);
  // At 1x the browser picks the data: candidate: it must still be the data: URL, not about:invalid.
  expect(await page.evaluate(() => document.images[0].getAttribute('srcset')!.split(/\s/)[0])).toBe(gif);
});
