// One browser test per decision the README promises, each built so that it fails when the decision
// is taken out of src/ (issue 12, "Tests that guard each decision"): sticky mapping, the failover
// clock restarting while requests wait for a connection, a hang taking its edge out, hedging, and
// the health TTL.
import { test, expect, events, settled, images, type SeenEvent } from './fixtures.js';

test('sticky maps a path, not a position: the same sources when the page lists the images in reverse', async ({ page, site }) => {
  const manifest = site.manifest({ mode: 'round-robin', sticky: true });
  const paths = Array.from({ length: 12 }, (_, i) => `/images/s${i}.png`);
  const markup = (list: string[]) => list.map((p) => `<img data-cdn-src="${p}" alt="">`).join('');
  await site.open(markup(paths), { manifest });
  const first = (await settled(page, 12)).map((e) => `${e.el}:${e.source}`).sort();
  // Round-robin deals by position, so reversing 12 images over 4 sources moves every one of them.
  await site.open(markup([...paths].reverse()), { manifest, path: '/reversed.html' });
  const second = (await settled(page, 12)).map((e) => `${e.el}:${e.source}`).sort();
  expect(second).toEqual(first);
  expect(new Set(first.map((x) => x.split(':')[1])).size).toBeGreaterThan(2);
});

test('the clock of a request waiting for a connection restarts when something finishes on its edge', async ({ page, site }) => {
  // 18 images that take 600 ms each on one edge over HTTP/1.1: three waves of six. The third wave
  // waits longer than the 1500 ms timeout (answers at 1800 ms), but answers keep arriving meanwhile.
  // (1500, not 1000: on a loaded CI machine the first wave alone took more than 1000 ms.)
  await site.a.set({ fault: 'slow', delay: 600 }, '/images/');
  await site.open(images(18), { manifest: site.manifest({ failover: { timeout: 1500 } }) });
  const done = await settled(page, 18);
  expect(done.filter((e) => e.source !== 'a')).toEqual([]);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(site.counts('/images/')).toEqual({ origin: 0, a: 18, b: 0, c: 0 });
});

test('a resource that timed out takes its edge out of rotation at once, though its probes answer', async ({ page, site }) => {
  // Only one object hangs: edge a's probes answer, so no ping would ever take it down. One edge:
  // `always` follows measured latency, and on a busy machine any edge may measure fastest.
  await site.a.set({ fault: 'blackhole' }, '/images/stuck');
  await site.open('', { manifest: site.manifest({ edges: [{ id: 'a', url: site.a.url }], failover: { timeout: 500 } }) });
  await page.evaluate(() => window.CDNLoader!.probe());
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.setAttribute('data-cdn-src', '/images/stuck.png');
    document.body.appendChild(img);
  });
  await page.waitForFunction(() => (window as unknown as { __events: SeenEvent[] }).__events.some((e) => e.type === 'cdn:edge' && e.id === 'a'));
  expect((await events(page, 'cdn:edge'))[0]).toMatchObject({ id: 'a', state: 'down' });
  expect((await settled(page, 1))[0]).toMatchObject({ source: 'origin' });
  expect(site.a.hits()).toEqual(['/images/stuck.png']);
  // The ping sent at once finds it alive: it comes back.
  await page.waitForFunction(() => window.CDNLoader!.edges()[0].state === 'up');
});

test('hedging: a late candidate keeps running beside the next one, and wins when it answers first', async ({ page, site }) => {
  // Edge a answers after 1.5 s, edge b never, the origin after 8 s: only the late request on a can
  // serve the image early, and only if starting b did not abandon it.
  await site.a.set({ fault: 'slow', delay: 1500 }, '/images/');
  await site.b.set({ fault: 'blackhole' }, '/images/');
  await site.origin.set({ fault: 'slow', delay: 8000 }, '/images/');
  await site.open('<img id="h" data-cdn-src="/images/h.png" alt="">', { manifest: site.manifest({ failover: { timeout: 500, retries: 1 } }) });
  const [load] = await settled(page, 1, 20000);
  expect(load).toMatchObject({ el: 'h', source: 'a' });
  const fb = await events(page, 'cdn:fallback');
  expect(fb[0]).toMatchObject({ from: 'a', to: 'b', reason: 'timeout' });
  expect(site.b.hits()).toEqual(['/images/h.png']);
});

test('saved health is used within probe.ttl and forgotten after it', async ({ page, site }) => {
  const ttl = 4000;
  const manifest = site.manifest({ probe: { timeout: 1000, interval: 60000, ttl } });
  await site.a.set({ fault: 'refuse' });
  await site.open(images(1), { manifest });
  await page.waitForFunction(() => window.CDNLoader!.edges()[0]?.state === 'down');
  // Within the TTL the next page believes what this one learnt: edge a is not even tried.
  await page.reload();
  expect((await settled(page, 1)).map((e) => e.source)).not.toContain('a');
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  // Leave the loader's pages (their pings save health again), and wait out the TTL.
  site.origin.file('/blank.html', '<!doctype html><title>blank</title>');
  await page.goto(site.origin.url + '/blank.html');
  const left = Date.now();
  await page.waitForFunction((t) => Date.now() > t, left + ttl + 200, { timeout: ttl + 5000 });
  // Past the TTL a page starts afresh with every edge up, and a serves again.
  await site.a.set({ fault: 'ok' });
  await page.goto(site.origin.url + '/page.html');
  expect((await settled(page, 1)).map((e) => e.source)).toEqual(['a']);
});
