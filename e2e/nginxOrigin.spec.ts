// Returning pages for real (docs/first-visit.md, "Returning visits"): a static site rewritten by
// `cdn-loader rewrite --returning`, served by a real nginx with recipes/nginx-origin.conf included verbatim
// as the origin; the node test servers are its edges. The first page inlines the boot; the runtime caches
// the boot's file and sets the cookie; from then on nginx serves the twins, whose boot comes from the cache.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { cli } from './cli.js';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { test as base, expect, settled } from './fixtures.js';
import { png, scriptBody, styleBody } from './servers.js';
import { get, needNginx, preamble, startNginx } from './nginx.js';

const ORIGIN_RECIPE = resolve('recipes/nginx-origin.conf');

const page = (title: string, dir: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/css/site.css">
</head><body>
${[0, 1, 2].map((i) => `<img id="i${i}" src="/images/${dir}${i}.png" alt="">`).join('\n')}
<script src="/js/one.js"></script><script src="/js/two.js"></script>
</body></html>
`;

/** The recipe included verbatim in the origin's server block, and the pages' location as the recipe says. */
const config = (dir: string, port: number) => `${preamble(dir)}
  access_log ${dir}/access.log;
  server {
    listen 127.0.0.1:${port};
    server_name origin;
    root ${dir}/www;
    include ${ORIGIN_RECIPE};
    location / {
      try_files $cdn_returning$cdn_page $uri $uri/ =404;
      add_header Cache-Control $cdn_page_cache;
      add_header Vary $cdn_page_vary;
    }
  }
}
`;

interface Origin {
  url: string;
  /** Paths of the requests in nginx's access log. */
  requests(): string[];
  /** The boot file's name (`cdn-loader-boot.<hash>.js`). */
  boot: string;
}

const test = base.extend<{ origin: Origin }>({
  origin: async ({ site }, use) => {
    needNginx();
    const dir = mkdtempSync(join(tmpdir(), 'cdn-loader-nginx-origin-'));
    const www = join(dir, 'www');
    const nginx = await startNginx(dir, 1, ([port]) => config(dir, port));
    const url = `http://127.0.0.1:${nginx.ports[0]}`;
    const files: Record<string, string | Buffer> = {
      'index.html': page('first', ''),
      'next.html': page('next', 'next/'),
      'blog/index.html': page('blog', 'blog/'),
      // A folder whose index has nothing registered (no boot, no twin) beside a page that has one.
      'about/index.html': '<!doctype html><title>about</title><p>no assets</p>',
      'about/x.html': page('about x', 'blog/'),
      'css/site.css': styleBody('site'),
      'js/one.js': scriptBody('one'),
      'js/two.js': scriptBody('two'),
    };
    for (const d of ['', 'next/', 'blog/']) for (const i of [0, 1, 2]) files[`images/${d}${i}.png`] = png(10, 10, 10);
    for (const [f, body] of Object.entries(files)) {
      mkdirSync(dirname(join(www, f)), { recursive: true });
      writeFileSync(join(www, f), body);
    }
    cli('manifest', www, ...site.edges.flatMap((e) => ['--edge', `${e.name}=${e.url}`]), '--origin', url);
    expect(cli('rewrite', www, '--returning')).toMatch(/wrote .*cdn-loader-boot\.[0-9a-f]{8}\.js, 4 returning pages in cdn-returning\/[0-9a-f]{8}\//);
    const boot = readdirSync(www).find((f) => /^cdn-loader-boot\.[0-9a-f]{8}\.js$/.test(f))!;
    await use({
      url,
      boot,
      requests: () =>
        nginx
          .lines('access.log')
          .map((l) => /"GET (\S+) HTTP/.exec(l)?.[1])
          .filter((p): p is string => !!p),
    });
    await nginx.stop();
  },
});

const bootForm = (p: Page) => p.evaluate(() => (document.querySelector('script[src*="cdn-loader-boot."]') ? 'src' : document.querySelector('script[data-boot-src]') ? 'inline' : 'none'));
const ran = (p: Page) => p.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);
/** Three images, the stylesheet and two scripts. */
const RESOURCES = 6;

test.beforeAll(() => void needNginx());

test('nginx origin recipe: the first page inlines the boot, then the runtime caches its file and nginx serves the returning pages, whose boot comes from the cache', async ({ page, origin, site }) => {
  await page.goto(origin.url + '/', { waitUntil: 'commit' });
  expect(await bootForm(page)).toBe('inline');
  await settled(page, RESOURCES);
  await page.waitForFunction((c) => document.cookie.split('; ').includes(c), `cdn_boot=${encodeURIComponent('/' + origin.boot)}`);
  expect(origin.requests().filter((p) => p.includes('cdn-loader-boot'))).toEqual(['/' + origin.boot]);

  // The next page and the first again: their twins, the boot from the HTTP cache, everything from the edges.
  for (const path of ['/next.html', '/', '/blog/']) {
    await page.goto(origin.url + path, { waitUntil: 'commit' });
    const loads = await settled(page, RESOURCES);
    expect(await bootForm(page)).toBe('src');
    expect(loads.every((e) => e.type === 'cdn:load' && e.source !== 'origin')).toBe(true);
    expect(await ran(page)).toEqual(['one', 'two']);
  }
  expect(origin.requests().filter((p) => p.includes('cdn-loader-boot'))).toEqual(['/' + origin.boot]);
  expect(site.edges.flatMap((e) => e.hits((p) => p.startsWith('/images/next/')))).toHaveLength(3);
});

test('nginx origin recipe: a folder whose index has no twin serves it as written; pages vary on the cookie, other files do not', async ({ origin }) => {
  const cookie = { cookie: `cdn_boot=${encodeURIComponent('/' + origin.boot)}` };
  const about = await get(origin.url + '/about/', cookie);
  expect([about.status, about.body.includes('no assets')]).toEqual([200, true]);
  const twin = await get(origin.url + '/about/x.html', cookie);
  expect([twin.status, twin.body.includes(`<script src="/${origin.boot}"`)]).toEqual([200, true]);
  for (const path of ['/', '/blog/', '/next.html']) {
    const r = await get(origin.url + path, cookie);
    expect([path, r.status, r.headers.vary, r.headers['cache-control']]).toEqual([path, 200, 'Cookie', 'no-cache']);
  }
  const img = await get(origin.url + '/images/0.png', cookie);
  expect([img.status, img.headers.vary, img.headers['cache-control']]).toEqual([200, undefined, undefined]);
  const boot = await get(origin.url + '/' + origin.boot, cookie);
  expect([boot.status, boot.headers.vary, boot.headers['cache-control']]).toEqual([200, undefined, 'public, max-age=31536000, immutable']);
});

test('nginx origin recipe: a cookie of another deploy, or one that is not a boot file, gets the page as written', async ({ page, origin }) => {
  // (Another deploy's folder is gone; a value that is no boot file's name, or more than one, picks no folder.)
  for (const value of ['%2Fcdn-loader-boot.00000000.js', `${encodeURIComponent('/' + origin.boot)}x`, `x${encodeURIComponent('/' + origin.boot)}`]) {
    // (Away from the last page first: its runtime would set the cookie again.)
    await page.goto('about:blank');
    await page.context().clearCookies();
    await page.context().addCookies([{ name: 'cdn_boot', value, url: origin.url }]);
    await page.goto(origin.url + '/next.html', { waitUntil: 'commit' });
    await settled(page, RESOURCES);
    expect(await bootForm(page), value).toBe('inline');
  }
});
