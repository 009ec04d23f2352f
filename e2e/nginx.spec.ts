// The nginx edge recipe (docs/edges.md), for real: recipes/nginx.conf is included verbatim in a server block of a
// real nginx on a loopback port, and the loader uses that nginx as its edge.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test as base, expect, events, settled, images } from './fixtures.js';
import { png, scriptBody, sri, styleBody } from './servers.js';
import { get, needNginx, preamble, RECIPE, startNginx } from './nginx.js';

interface Nginx {
  url: string;
  /** Paths of the requests in nginx's access log (the recipe keeps probes out of it). */
  requests(): string[];
}

/** The site's static files, as the origin test server serves them, so SRI hashes match either source. */
function writeSite(root: string) {
  const files: Record<string, string | Buffer> = {
    'js/app.js': scriptBody('app'),
    'css/site.css': styleBody('site'),
    // Big enough for gzip.
    'js/big.js': scriptBody('big') + `/* ${'padding '.repeat(200)}*/\n`,
    'index.html': '<!doctype html><title>a page</title>',
  };
  for (let i = 0; i < 3; i++) files[`images/${i}.png`] = png(200, 120, 40);
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), body);
  }
}

/** A complete nginx.conf around the recipe: the recipe included verbatim in the edge's server block. */
const config = (dir: string, port: number) => `${preamble(dir)}
  access_log ${dir}/access.log;
  server {
    listen 127.0.0.1:${port};
    server_name edge;
    root ${dir}/www;
    include ${RECIPE};
  }
}
`;

const test = base.extend<{ nginx: Nginx }>({
  nginx: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'cdn-loader-nginx-'));
    writeSite(join(dir, 'www'));
    const nginx = await startNginx(dir, 1, ([port]) => config(dir, port));
    await use({
      url: `http://127.0.0.1:${nginx.ports[0]}`,
      requests: () =>
        nginx
          .lines('access.log')
          .map((l) => /"GET (\S+) HTTP/.exec(l)?.[1])
          .filter((p): p is string => !!p),
    });
    await nginx.stop();
  },
});

test.describe('nginx edge recipe (recipes/nginx.conf)', () => {
  // Never skipped: `npm test` installs nginx first (scripts/setup.mjs), and a run without it fails here.
  test.beforeAll(() => void needNginx());

  test('the loader serves images, a stylesheet and a script with integrity from nginx, and probes it with CORS and timing', async ({ page, site, nginx }) => {
    const manifest = {
      origin: site.origin.url,
      edges: [{ id: 'nginx', url: nginx.url }],
      assets: ['/images/', '/js/', { path: '/js/app.js', integrity: sri(scriptBody('app')) }, { path: '/css/site.css', integrity: sri(styleBody('site')) }],
      probe: { type: 'fetch', timeout: 5000, interval: 60000 },
      failover: { timeout: 5000 },
    };
    await site.open(`<link rel="stylesheet" data-cdn-href="/css/site.css">\n${images(3)}\n<script data-cdn-src="/js/app.js"></script>`, { manifest });

    const loads = await settled(page, 5);
    expect(loads.map((e) => `${e.el} ${e.type} ${e.source}`).sort()).toEqual(
      ['/css/site.css', '/js/app.js', 'i0', 'i1', 'i2'].map((el) => `${el} cdn:load nginx`),
    );
    expect(await events(page, 'cdn:fallback')).toEqual([]);
    // Integrity held (so CORS worked), the script ran once, the stylesheet applies, the images decoded.
    expect(await page.evaluate(() => (window as unknown as { __ran: string[] }).__ran)).toEqual(['app']);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site').trim())).toBe('1');
    expect(await page.evaluate(() => document.querySelector('script[src]:not([src$="cdn-loader.js"])')?.getAttribute('integrity'))).toBe(sri(scriptBody('app')));
    const pictures = await page.evaluate(() => Array.from(document.images).map((i) => (i.naturalWidth > 0 ? i.currentSrc : 'broken ' + i.currentSrc)));
    expect(pictures).toEqual([0, 1, 2].map((i) => `${nginx.url}/images/${i}.png`));

    // The loader's fetch probes reached nginx and succeeded.
    await page.waitForFunction(() => (window as unknown as { __events: { type: string }[] }).__events.some((e) => e.type === 'cdn:probe'));
    const probes = await events(page, 'cdn:probe');
    expect(probes.every((p) => p.id === 'nginx' && p.ok)).toBe(true);
    // The probe answers CORS (a status in Resource Timing: an opaque no-cors answer has none) with
    // Timing-Allow-Origin (request phases visible), and so do the assets. (Chromium adds a fetch's entry
    // only once its body is read.)
    const probeUrl = await page.evaluate(async (edge) => {
      const url = edge + '/cdn-probe.gif?cdn-probe=test';
      const r = await fetch(url, { mode: 'cors', cache: 'no-store', credentials: 'omit' });
      await r.arrayBuffer();
      return r.type === 'cors' && r.ok ? url : `${r.type} ${r.status}`;
    }, nginx.url);
    expect(probeUrl).toBe(nginx.url + '/cdn-probe.gif?cdn-probe=test');
    await page.waitForFunction((url) => performance.getEntriesByName(url).length > 0, probeUrl);
    for (const url of [probeUrl, nginx.url + '/images/0.png']) {
      const t = await page.evaluate((url) => {
        const e = performance.getEntriesByName(url)[0] as PerformanceResourceTiming & { responseStatus?: number };
        return { status: e.responseStatus, requestStart: e.requestStart, transferSize: e.transferSize };
      }, url);
      // An <img> without crossorigin is a no-cors request: no status, but TAO still opens its timing.
      if (url === probeUrl) expect(t.status, url).toBe(200);
      expect(t.requestStart, url).toBeGreaterThan(0);
      expect(t.transferSize, url).toBeGreaterThan(0);
    }

    // What travelled: the assets from nginx (probes stay out of its log), none from the origin.
    await expect.poll(() => [...new Set(nginx.requests())].sort()).toEqual(['/css/site.css', '/images/0.png', '/images/1.png', '/images/2.png', '/js/app.js']);
    expect(site.counts('/images/')).toMatchObject({ origin: 0 });
    expect(site.counts('/js/')).toMatchObject({ origin: 0 });
    expect(site.counts('/css/')).toMatchObject({ origin: 0 });
  });

  test('the headers docs/edges.md promises', async ({ nginx }) => {
    const asset = await get(nginx.url + '/js/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'timing-allow-origin': '*',
      'cache-control': 'public, max-age=86400',
    });
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers.etag).toBeTruthy();

    const probe = await get(nginx.url + '/cdn-probe.gif?cdn-probe=abc1');
    expect(probe.status).toBe(200);
    expect(probe.headers).toMatchObject({
      'content-type': 'image/gif',
      'access-control-allow-origin': '*',
      'timing-allow-origin': '*',
      'cache-control': 'no-store',
    });

    // Errors carry CORS and timing headers but are not cached; pages and the manifest stay on the origin.
    for (const path of ['/images/missing.png', '/index.html', '/cdn-manifest.json']) {
      const r = await get(nginx.url + path);
      expect(r.status, path).toBe(404);
      expect(r.headers['access-control-allow-origin'], path).toBe('*');
      expect(r.headers['timing-allow-origin'], path).toBe('*');
      expect(r.headers['cache-control'], path).toBeUndefined();
    }

    const big = await get(nginx.url + '/js/big.js', { 'Accept-Encoding': 'gzip' });
    expect(big.headers['content-encoding']).toBe('gzip');
    expect(big.headers.vary).toMatch(/Accept-Encoding/);
  });
});
