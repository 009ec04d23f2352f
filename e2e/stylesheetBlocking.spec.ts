// A registered stylesheet in <head> blocks rendering as the same <link> with its href in the markup does,
// when the page is written as docs/first-visit.md says: the inline boot after the page's registered
// stylesheets, which carry blocking="render". The boot then sets their href while the parser is still in
// <head> (it starts the elements already there as it runs), where the browser honours the attribute.
// A `data-cdn-href` stylesheet the boot sets after <body> has begun is fetched "non-blocking": the page is
// painted unstyled and shifts when its styles come (bench §9). Asserted on states, not times: which paint
// entries exist, and Chromium's renderBlockingStatus.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, settled, type Site } from './fixtures.js';

const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

/** Opens a page whose <head> holds `before`, then the manifest, the boot and the runtime, then `after`. */
async function open(page: Page, site: Site, head: { before: string; after?: string }) {
  const split =
    `<script type="application/json" id="cdn-manifest">${JSON.stringify(site.manifest())}</script>\n` +
    `<script data-manifest="#cdn-manifest">${BOOT}</script>\n<script async src="/cdn-loader-runtime.js"></script>`;
  site.origin.file(
    '/page.html',
    `<!doctype html><html><head><meta charset="utf-8"><title>styles</title>\n${head.before}\n${split}\n${head.after ?? ''}\n</head>` +
      `<body>\n<h1>Some text that paints</h1>\n<img id="i0" data-cdn-src="/images/0.png" alt="">\n</body></html>`,
    'text/html; charset=utf-8',
  );
  await page.goto(site.origin.url + '/page.html', { waitUntil: 'commit' });
}

/** After the page's first contentful paint: whether it came after the stylesheet had arrived, and how Chromium fetched it. */
async function paintAndStyle(page: Page) {
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  return page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0].startTime;
    const css = (performance.getEntriesByType('resource') as (PerformanceResourceTiming & { renderBlockingStatus?: string })[]).find((e) => e.name.endsWith('/css/site.css'));
    return { paintedAfterStyles: !!css && fcp >= css.responseEnd, blocking: css?.renderBlockingStatus, from: css?.name.replace(/\/css\/.*/, '') };
  });
}

test.beforeEach(({ browserName }) => {
  // blocking="render" and renderBlockingStatus: Chromium (Firefox ESR 153 and WebKit 2.50 have neither).
  test.skip(browserName !== 'chromium', 'blocking="render" is Chromium-only here');
});

test('boot after a registered stylesheet with blocking="render": nothing paints before the stylesheet has come', async ({ page, site }) => {
  // The stylesheet takes long enough on the edge that an unblocked page would paint first.
  await site.a.set({ fault: 'slow', delay: 1500 }, '/css/');
  await open(page, site, { before: '<link rel="stylesheet" blocking="render" data-cdn-href="/css/site.css">' });
  const seen = await paintAndStyle(page);
  expect(seen).toEqual({ paintedAfterStyles: true, blocking: 'blocking', from: site.a.url });
  // The loader's own account: both resources from edge a, each requested once.
  await settled(page, 2);
  expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
});

test('the attribute alone is not enough: a stylesheet the boot reaches after <body> has begun does not block', async ({ page, site }) => {
  // The boot first in <head> (before the stylesheet) sees it only in its observer's first callback, which
  // on a page that arrives in one piece runs once the parser is in <body>: the browser ignores the attribute.
  await site.a.set({ fault: 'slow', delay: 3000 }, '/css/');
  await open(page, site, { before: '', after: '<link rel="stylesheet" blocking="render" data-cdn-href="/css/site.css">' });
  const seen = await paintAndStyle(page);
  expect(seen.paintedAfterStyles).toBe(false);
});
