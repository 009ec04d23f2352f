// Returning visits (issue 14): the next page keeps to the edge the first one used, so its images come
// from the HTTP cache instead of from another edge. Two things moved it before: a deadline that passed
// on an edge busy with the page's own downloads marked that edge down, and a new page chose anew by
// remembered latency alone, so two edges of equal latency swapped on noise.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test, expect, events, settled, imageSources, recordEvents, probed, images } from './fixtures.js';
import { png } from './servers.js';
import { Host, Link, netFile, type NetFile } from '../bench/network.js';

test.describe('always: the next page goes on with the edge the last one used', () => {
  for (const [name, boot] of [
    ['one tag', false],
    ['inline boot', true],
  ] as const)
    test(`while no other edge is clearly faster (${name})`, async ({ page, site }) => {
      // Edge b answers its pings a little faster than edge a (1,900 against 2,000 ms: within select.ts's
      // hysteresis, which is relative — b would have to beat 0.8 × a − 5 ms — so only a ping of a
      // measured 380 ms late would move the page: long pings keep a loaded machine's noise below that).
      // Before any ping, the first page takes the first edge in manifest order, a; the next page stays
      // with it.
      await site.a.set({ fault: 'slow', delay: 2000 }, '/cdn-probe');
      await site.b.set({ fault: 'slow', delay: 1900 }, '/cdn-probe');
      const manifest = site.manifest({ edges: [site.a, site.b].map((e) => ({ id: e.name, url: e.url })), probe: { timeout: 5000, interval: 60000 } });
      const body = '<img id="i0" data-cdn-src="/images/0.png" alt=""><img id="i1" data-cdn-src="/images/1.png" alt="">';
      const head = boot
        ? `<script type="application/json" id="cdn-manifest">${JSON.stringify(manifest)}</script>\n<script data-manifest="#cdn-manifest">${readFileSync('dist/cdn-loader-boot.js', 'utf8')}</script>\n<script async src="/cdn-loader-runtime.js"></script>`
        : '';
      const open = async (path: string) => {
        if (!boot) return site.open(body, { manifest, path });
        site.origin.file(path, `<!doctype html><html><head><meta charset="utf-8"><title>t</title>\n${head}\n</head><body>${body}</body></html>`);
        await page.goto(site.origin.url + path);
      };
      await open('/one.html');
      expect((await settled(page, 2)).map((e) => e.source)).toEqual(['a', 'a']);
      await probed(page, ['a', 'b']);
      const latency = await page.evaluate(() => window.CDNLoader!.edges().map((e) => e.latency!));
      // What the pings measured is timing (a loaded machine blurs 60 ms): noted, not asserted; the page's
      // choice below is the state under test.
      test.info().annotations.push({ type: 'latency', description: `a ${latency[0]} ms, b ${latency[1]} ms` });
      await open('/two.html');
      expect((await settled(page, 2)).map((e) => e.source)).toEqual(['a', 'a']);
      expect(await imageSources(page, site)).toEqual(['a', 'a']);
    });

  test('but moves to an edge that is clearly faster (SPEC §4: the best measured latency)', async ({ page, site }) => {
    await site.a.set({ fault: 'slow', delay: 600 }, '/cdn-probe');
    await site.b.set({ fault: 'slow', delay: 100 }, '/cdn-probe');
    const manifest = site.manifest({ edges: [site.a, site.b].map((e) => ({ id: e.name, url: e.url })), probe: { timeout: 3000, interval: 60000 } });
    await site.open(images(2), { manifest, path: '/one.html' });
    expect((await settled(page, 2)).map((e) => e.source)).toEqual(['a', 'a']);
    await probed(page, ['a', 'b']);
    await site.open(images(2), { manifest, path: '/two.html' });
    expect((await settled(page, 2)).map((e) => e.source)).toEqual(['b', 'b']);
  });
});


test('a deadline passed on an edge busy with the page\'s downloads does not take it down: the next visit uses the HTTP cache', async ({ page }) => {
  // Some 5 MB through a 2 Mbit/s link, twice on the first page's hedged images.
  test.setTimeout(120000);
  // bench/network.ts's emulated link: the origin and both edges share one 2 Mbit/s FIFO downlink.
  // Once its first image is in, the page adds twelve 200 kB images from the same edge: with six or
  // fewer in flight, the last ones wait behind the others' bytes for longer than their 1.5 s
  // deadline, and hedge to the other edge, though theirs is delivering all the while.
  const files = new Map<string, NetFile>();
  const link = new Link(2e6);
  const hosts = [new Host('origin', 20, link, files), new Host('a', 10, link, files), new Host('b', 10, link, files)];
  for (const h of hosts) await h.start();
  const [origin, a, b] = hosts;
  try {
    const long = 'public, max-age=3600';
    files.set('/images/first.png', netFile(png(200, 40, 40, 8), 'image/png', long));
    // (Bytes after a PNG's end are ignored by browsers: a big image that decodes at once.)
    for (let i = 0; i < 12; i++) files.set(`/images/${i}.png`, netFile(Buffer.concat([png(200, 40, 40, 8), randomBytes(200000)]), 'image/png', long));
    files.set('/cdn-probe.gif', netFile(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'), 'image/gif', 'no-store'));
    files.set('/cdn-loader.js', netFile(readFileSync('dist/cdn-loader.js'), 'application/javascript', long));
    const manifest = { origin: origin.url, edges: [a, b].map((e) => ({ id: e.name, url: e.url })), assets: ['/images/'], failover: { timeout: 1500 }, probe: { timeout: 2000, interval: 60000 } };
    files.set('/cdn-manifest.json', netFile(JSON.stringify(manifest), 'application/json', 'no-cache'));
    const more = `document.addEventListener('cdn:load', function more(e) { if (e.detail.element.id !== 'first') return; document.removeEventListener('cdn:load', more); document.body.insertAdjacentHTML('beforeend', ${JSON.stringify(images(12))}); });`;
    files.set(
      '/page.html',
      netFile(
        `<!doctype html><html><head><meta charset="utf-8"><title>t</title><script src="/cdn-loader.js" data-manifest="/cdn-manifest.json"></script><script>${more}</script></head><body><img id="first" data-cdn-src="/images/first.png" alt=""></body></html>`,
        'text/html; charset=utf-8',
        'no-cache',
      ),
    );
    await page.addInitScript(recordEvents);
    await page.goto(origin.url + '/page.html');
    const first = await settled(page, 13, 60000);
    expect(first.every((e) => e.type === 'cdn:load')).toBe(true);
    // The edge the page uses: a, unless pings that answered before its first choice measured b faster.
    const used = first.find((e) => e.el === 'first')!.source!;
    // The case under test happened: some images passed their deadline on it.
    expect((await events(page, 'cdn:fallback')).filter((e) => e.from === used && e.reason === 'timeout').length).toBeGreaterThan(0);
    // It stays up. (The other edge may go down: its hedges waited on the same full link, and it had
    // delivered nothing yet. That does not move the next visit.)
    expect((await events(page, 'cdn:edge')).filter((e) => e.id === used && e.state === 'down')).toEqual([]);
    await probed(page, ['a', 'b']);
    // The visitor comes back: same page, new connections, the HTTP cache kept. The page is left first: a
    // connection dropped under an open page fails the pings in flight on it (a reset is a failed ping).
    await page.goto('about:blank');
    for (const h of hosts) h.drop();
    const seen = [a.log.length, b.log.length];
    await page.goto(origin.url + '/page.html?again');
    const next = await settled(page, 13, 60000);
    expect(next.map((e) => e.source)).toEqual(Array(13).fill(used));
    // Edge a's images came from the HTTP cache: no image request reached either edge.
    expect([...a.log.slice(seen[0]), ...b.log.slice(seen[1])].filter((p) => p.startsWith('/images/'))).toEqual([]);
  } finally {
    for (const h of hosts) await h.close();
  }
});
