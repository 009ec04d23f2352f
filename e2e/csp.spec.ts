// Strict pages: a nonce + strict-dynamic + Trusted Types policy, and a host allow-list.
import { test, expect, events, settled, images, imageSources } from './fixtures.js';
import type { Page } from '@playwright/test';

/** Collects CSP violations the page reports. */
async function violations(page: Page): Promise<{ blocked: string; directive: string }[]> {
  return page.evaluate(() => (window as unknown as { __csp: { blocked: string; directive: string }[] }).__csp);
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: { blocked: string; directive: string }[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push({ blocked: e.blockedURI, directive: e.effectiveDirective }));
  });
});

test('nonce, strict-dynamic and require-trusted-types-for: everything loads, scripts in order', async ({ page, site }) => {
  await site.a.set({ fault: 'status', status: 500 }, '/js/two.js');
  await site.open(
    images(3) +
      '<link id="css" rel="stylesheet" data-cdn-href="/css/site.css">' +
      // Each placeholder carries the nonce itself: the loader never lends its own (docs/security.md).
      ['one', 'two', 'three'].map((n) => `<script nonce="n0nce" type="text/plain" data-cdn-src="/js/${n}.js"></script>`).join(''),
    {
      tag: 'nonce="n0nce" data-manifest="/cdn-manifest.json"',
      headers: {
        'Content-Security-Policy': "script-src 'nonce-n0nce' 'strict-dynamic'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'",
      },
    },
  );
  const done = await settled(page, 7);
  expect(done.every((e) => e.type === 'cdn:load')).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __ran: string[] }).__ran)).toEqual(['one', 'two', 'three']);
  expect((await events(page, 'cdn:load')).find((e) => e.el === '/js/two.js')?.source).toBe('b');
  expect(await violations(page)).toEqual([]);
  // The scripts the loader inserted carry their placeholder's nonce.
  expect(await page.evaluate(() => Array.from(document.querySelectorAll('script[src*="/js/"]')).map((s) => (s as HTMLScriptElement).nonce))).toEqual(['n0nce', 'n0nce', 'n0nce']);
});

test('a host allow-list that blocks an edge: the block counts as a failure and the next source serves', async ({ page, site }) => {
  const allowed = [site.origin.url, site.b.url, site.c.url].join(' ');
  await site.open(images(3) + '<script type="text/plain" data-cdn-src="/js/one.js"></script>', {
    headers: {
      'Content-Security-Policy': `default-src 'self'; img-src ${allowed}; script-src 'self' ${allowed}; style-src 'self' ${allowed}; connect-src 'self' ${allowed}`,
    },
  });
  const done = await settled(page, 4);
  expect(done.map((e) => e.source)).toEqual(['b', 'b', 'b', 'b']);
  expect(await imageSources(page, site)).toEqual(['b', 'b', 'b']);
  const fallbacks = await events(page, 'cdn:fallback');
  expect(fallbacks).toHaveLength(4);
  expect(fallbacks.every((e) => e.from === 'a' && e.to === 'b' && e.reason === 'error')).toBe(true);
  expect(site.a.log).toEqual([]);
  const blocked = await violations(page);
  expect(blocked.length).toBeGreaterThan(0);
  expect(blocked.every((v) => v.blocked.startsWith(site.a.url))).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __ran: string[] }).__ran)).toEqual(['one']);
});
