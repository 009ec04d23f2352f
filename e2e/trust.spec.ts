// Nothing runs that the site did not register: markup an attacker injects (a comment field, a
// template) as `data-cdn-*` placeholders must gain no power to run scripts or load stylesheets, under
// every kind of Content-Security-Policy and under none. The site's own placeholders still run, in order.
import type { Page } from '@playwright/test';
import { test, expect, events, settled } from './fixtures.js';
import { startServer, type TestServer } from './servers.js';

const NONCE = 'n0nce';

/** Console warnings of the page. */
function warnings(page: Page): string[] {
  const out: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && out.push(m.text()));
  return out;
}

const ran = (page: Page) => page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);

/** A server on a host in no manifest, reached as `evil.localhost`: it must receive nothing. */
const evilServer = test.extend<{ evil: TestServer & { host: string } }>({
  evil: async ({}, use) => {
    const s = await startServer({ name: 'evil', colour: [0, 0, 0] });
    await use(Object.assign(s, { host: `http://evil.localhost:${s.port}` }));
    await s.close();
  },
});

/** The four policies of the issue; `nonce`: whether the page (and so the loader's tag) has one. */
const policies = (origin: string, edges: string) =>
  [
    ['nonce + strict-dynamic + Trusted Types', `script-src 'nonce-${NONCE}' 'strict-dynamic'; require-trusted-types-for 'script'; object-src 'none'; base-uri 'none'`, true],
    ['nonce only', `script-src 'nonce-${NONCE}'; object-src 'none'; base-uri 'none'`, true],
    ['host allow-list', `default-src 'self'; img-src 'self' ${edges}; script-src 'self' ${origin} ${edges}; style-src 'self' ${origin} ${edges}; connect-src 'self' ${edges}`, false],
    ['no CSP', '', false],
  ] as const;

for (const i of [0, 1, 2, 3])
  evilServer(`injected placeholders never run; the site's own run in order (${['nonce + strict-dynamic + Trusted Types', 'nonce only', 'host allow-list', 'no CSP'][i]})`, async ({ page, site, evil }) => {
    const [, csp, nonce] = policies(site.origin.url, site.edges.map((e) => e.url).join(' '))[i];
    const seen = warnings(page);
    const n = nonce ? ` nonce="${NONCE}"` : '';
    // The site's own placeholders, then what an attacker got into the markup: a host in no manifest,
    // the same as type=text/plain, a stylesheet, and (under a nonce) a registered script without it.
    const body = [
      `<script${n} data-cdn-src="/js/one.js"></script>`,
      `<div id="comment"><script data-cdn-src="${evil.host}/js/x1.js"></script>`,
      `<script type="text/plain" data-cdn-src="${evil.host}/js/x2.js"></script>`,
      `<link rel="stylesheet" data-cdn-href="${evil.host}/css/x3.css">`,
      nonce ? '<script data-cdn-src="/js/gadget.js"></script>' : '',
      `</div><script${n} type="text/plain" data-cdn-src="/js/two.js"></script>`,
    ].join('\n');
    await site.open(body, { tag: `${n} data-manifest="/cdn-manifest.json"`, headers: csp ? { 'Content-Security-Policy': csp } : {} });
    await settled(page, 2);
    expect(await ran(page)).toEqual(['one', 'two']);
    // After the page was parsed: innerHTML, insertAdjacentHTML, DOMParser, a registered script by innerHTML.
    await page.evaluate((host) => {
      // Under Trusted Types the page needs a policy for HTML at all; a lax one is where injection happens.
      const tt = (window as unknown as { trustedTypes?: { createPolicy(n: string, r: object): unknown } }).trustedTypes;
      tt?.createPolicy('default', { createHTML: (h: string) => h });
      const box = document.getElementById('comment')!;
      box.innerHTML = `<script data-cdn-src="${host}/js/x4.js"></script><script data-cdn-src="/js/gadget2.js"></script>`;
      box.insertAdjacentHTML('beforeend', `<script data-cdn-src="${host}/js/x5.js"></script><link rel="stylesheet" data-cdn-href="${host}/css/x6.css">`);
      const doc = new DOMParser().parseFromString(`<script data-cdn-src="${host}/js/x7.js"></script>`, 'text/html');
      box.append(document.adoptNode(doc.querySelector('script')!));
    }, evil.host);
    // The site's later script, loaded through the API: it runs after everything the loader took up before.
    await page.evaluate(() => window.CDNLoader!.load('/js/three.js'));
    const injected = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'gadget2', ...(nonce ? ['gadget'] : [])];
    // Each injected placeholder was either refused with a warning naming it, or (a bug) requested or run.
    await expect
      .poll(async () => {
        const r = await ran(page);
        return injected.filter((x) => !seen.some((w) => w.startsWith('cdn-loader:') && w.includes(x)) && !evil.log.some((h) => h.path.includes(x)) && !r.includes(x));
      })
      .toEqual([]);
    expect(evil.log.map((h) => h.path)).toEqual([]);
    expect(await ran(page)).toEqual(['one', 'two', 'three']);
    const rows = await page.evaluate(() => window.CDNLoader!.report().map((r) => [r.path.replace(/^https?:\/\/[^/]+/, ''), r.state]));
    for (const x of injected) expect(rows.find((r) => r[0].includes(x))?.[1], x).toMatch(/^(unregistered|refused)$/);
    expect((await events(page, 'cdn:load')).map((e) => e.el)).toEqual(['/js/one.js', '/js/two.js', '/js/three.js']);
  });

evilServer('manifest missing (origin-only fallback): same-origin placeholders run, cross-origin ones stay inert', async ({ page, site, evil }) => {
  const seen = warnings(page);
  await site.origin.set({ fault: 'status', status: 404 }, '/cdn-manifest.json');
  await site.open(
    `<script nonce="${NONCE}" data-cdn-src="/js/one.js"></script><script nonce="${NONCE}" data-cdn-src="${evil.host}/js/x1.js"></script>` +
      `<link rel="stylesheet" data-cdn-href="${evil.host}/css/x2.css"><script data-cdn-src="/js/gadget.js"></script><script nonce="${NONCE}" data-cdn-src="/js/two.js"></script>`,
    { manifest: null, tag: `nonce="${NONCE}" data-manifest="/cdn-manifest.json"`, headers: { 'Content-Security-Policy': `script-src 'nonce-${NONCE}' 'strict-dynamic'` } },
  );
  await page.waitForFunction(() => ((window as unknown as { __ran?: string[] }).__ran ?? []).length >= 2);
  await expect.poll(() => ['x1', 'x2', 'gadget'].filter((x) => !seen.some((w) => w.includes(x)))).toEqual([]);
  expect(await ran(page)).toEqual(['one', 'two']);
  expect(evil.log).toEqual([]);
});

evilServer('a data-cdn-* path that is not registered: images load as written, scripts and stylesheets stay inert, one warning per path, a report row', async ({ page, site }) => {
  const seen = warnings(page);
  await site.open(
    '<img id="a" data-cdn-src="/other/a.png"><img id="b" data-cdn-src="/other/a.png"><script data-cdn-src="/other/u.js"></script>' +
      '<link id="css" rel="stylesheet" data-cdn-href="/other/u.css"><script data-cdn-src="/js/one.js"></script>',
  );
  await settled(page, 1);
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
  expect(await page.evaluate(() => Array.from(document.images).map((i) => i.src))).toEqual([site.origin.url + '/other/a.png', site.origin.url + '/other/a.png']);
  await expect.poll(() => seen.filter((w) => w.startsWith('cdn-loader:') && w.includes('/other/')).length).toBe(3);
  expect(seen.filter((w) => w.includes('/other/a.png'))).toHaveLength(1);
  expect(await ran(page)).toEqual(['one']);
  expect(site.origin.hits((p) => p.startsWith('/other/u.'))).toEqual([]);
  expect(await page.evaluate(() => document.getElementById('css')!.hasAttribute('href'))).toBe(false);
  const rows = await page.evaluate(() => window.CDNLoader!.report().map((r) => [r.path, r.state]));
  expect(rows.filter((r) => r[0].startsWith('/other/'))).toEqual([
    ['/other/a.png', 'unregistered'],
    ['/other/a.png', 'unregistered'],
    ['/other/u.js', 'unregistered'],
    ['/other/u.css', 'unregistered'],
  ]);
});
