// The failure detector on real networks and busy pages (issue 12): a transfer that is arriving, or a
// response that arrived while the main thread was busy, is never taken for a hang; an error that the
// next source repeats is the asset's fault; a stuck object on a busy edge is still left; lazy images
// move off a dead edge; a down edge is probed with backoff. Counts and states only: timing is in
// `npm run bench`.
import type { CDPSession, Page } from '@playwright/test';
import { test, expect, events, settled, images, imageSources, warm, type SeenEvent, type Site } from './fixtures.js';
import { png } from './servers.js';
import { feedWith404s, stuckOnBusyEdge } from './detectorCases.js';

/** The Chromium DevTools Protocol, for network and CPU emulation: other engines skip the test. */
const cdp = async (page: Page): Promise<CDPSession> => {
  test.skip(page.context().browser()?.browserType().name() !== 'chromium', 'network and CPU emulation need the Chromium DevTools Protocol');
  return page.context().newCDPSession(page);
};
const seen = (page: Page, fn: string) => page.waitForFunction(fn, undefined, { timeout: 20000 });
/** Requests per path over every server (probes left out). */
const perPath = (site: Site, prefix = '/') => {
  const out: Record<string, number> = {};
  for (const s of [site.origin, ...site.edges]) for (const p of s.hits((x) => x.startsWith(prefix))) out[p] = (out[p] ?? 0) + 1;
  return out;
};
const twoEdges = (site: Site, extra: object = {}) => site.manifest({ edges: [site.a, site.b].map((e) => ({ id: e.name, url: e.url })), ...extra });

test.describe.configure({ timeout: 60000 });

test('slow link: large images still arriving are neither abandoned nor duplicated, and no edge goes down', async ({ page, site }) => {
  // About 1 MB each: 2 s apiece at 4 Mbit/s, far beyond any "auto" deadline.
  const big = png(90, 90, 90, 580);
  for (const s of [site.origin, ...site.edges]) for (let i = 0; i < 3; i++) s.file(`/images/big${i}.png`, big, 'image/png');
  const c = await cdp(page);
  await warm(page, site.origin, [site.a.url, site.b.url]);
  await c.send('Network.enable');
  await c.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 4e6 / 8, uploadThroughput: 1e6 / 8 });
  const body = [0, 1, 2].map((i) => `<img id="big${i}" data-cdn-src="/images/big${i}.png" alt="">`).join('') + images(10);
  await site.open(body, { manifest: twoEdges(site, { failover: { timeout: 'auto' } }) });
  const done = await settled(page, 13, 40000);
  expect(done.every((e) => e.type === 'cdn:load' && (e.source === 'a' || e.source === 'b'))).toBe(true);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect((await events(page, 'cdn:edge')).filter((e) => e.state === 'down')).toEqual([]);
  expect(Object.values(perPath(site, '/images/')).every((n) => n === 1)).toBe(true);
  expect(site.origin.hits((p) => p.startsWith('/images/'))).toEqual([]);
});

for (const rate of [4, 6])
  test(`slow CPU (${rate}×): answers that arrived while the main thread was busy are no timeouts`, async ({ page, site }) => {
    const c = await cdp(page);
    // Connection set-up is not the case (see warm()): over TLS on a throttled CPU it is slow, and timed.
    await warm(page, site.origin, [site.a.url]);
    await c.send('Emulation.setCPUThrottlingRate', { rate });
    const scripts = [0, 1, 2, 3, 4].map((i) => `<script data-cdn-src="/js/s${i}.js"></script>`).join('');
    await site.open(images(200) + scripts, { manifest: site.manifest({ edges: [{ id: 'a', url: site.a.url }], failover: { timeout: 'auto' } }) });
    const done = await settled(page, 205, 50000);
    expect(done.filter((e) => e.source !== 'a')).toEqual([]);
    expect(site.origin.hits((p) => /^\/(images|js)\//.test(p))).toEqual([]);
    expect(await events(page, 'cdn:edge')).toEqual([]);
  });

test('a 700 ms long task: answers that arrived during it are no timeouts', async ({ page, site }) => {
  await site.open('', { manifest: site.manifest({ edges: [{ id: 'a', url: site.a.url }], failover: { timeout: 'auto' } }) });
  await page.evaluate(() => window.CDNLoader!.probe());
  // The answers leave the edge 300 ms after the requests came: while the page is busy.
  await site.a.set({ fault: 'slow', delay: 300 }, '/images/');
  await page.evaluate(() => {
    // Six: all on the wire at once over HTTP/1.1.
    for (let i = 0; i < 6; i++) {
      const img = document.createElement('img');
      img.setAttribute('data-cdn-src', `/images/t${i}.png`);
      document.body.appendChild(img);
    }
    setTimeout(() => {
      const end = performance.now() + 700;
      while (performance.now() < end);
    }, 50);
  });
  const done = await settled(page, 6);
  expect(done.filter((e) => e.source !== 'a')).toEqual([]);
  expect(site.origin.hits((p) => p.startsWith('/images/'))).toEqual([]);
  expect(await events(page, 'cdn:edge')).toEqual([]);
});

test('an edge slower than its ping timeout is down, not dead: what it is about to answer is not moved before its own deadline', async ({ page, site }) => {
  // A first visit on a slow link: the edge's first bytes take longer than the ping's timeout, well within
  // the resources' own deadline. The ping times out while nothing has arrived from the edge yet: it goes
  // down (new resources go elsewhere), but what is on its way from it is neither abandoned nor duplicated.
  await site.open('', { manifest: site.manifest({ edges: [{ id: 'a', url: site.a.url }], failover: { timeout: 6000 }, probe: { type: 'fetch', timeout: 1000, interval: 60000 } }) });
  expect(await page.evaluate(() => window.CDNLoader!.probe())).toEqual([expect.objectContaining({ id: 'a', state: 'up' })]);
  await site.a.set({ fault: 'slow', delay: 1500 });
  await page.evaluate(() => {
    for (let i = 0; i < 3; i++) {
      const img = document.createElement('img');
      img.setAttribute('data-cdn-src', `/images/t${i}.png`);
      document.body.appendChild(img);
      void window.CDNLoader!.load(`/js/t${i}.js`);
    }
    void window.CDNLoader!.probe();
  });
  const done = await settled(page, 6);
  expect((await events(page, 'cdn:edge'))[0]).toEqual(expect.objectContaining({ id: 'a', state: 'down' }));
  expect(done.filter((e) => e.source !== 'a')).toEqual([]);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(site.origin.hits((p) => /^\/(images|js)\//.test(p))).toEqual([]);
});

test('genuine 404s: an error every source repeats is the asset\'s, not the edge\'s; no flaps', async ({ page, site }) => {
  for (const s of [site.origin, ...site.edges]) await s.set({ fault: 'status', status: 404 }, '/images/missing');
  await site.open('', { manifest: site.manifest({ probe: { timeout: 1000, interval: 1000 } }) });
  await feedWith404s(page);
});

test('one stuck object on a busy edge fails over while newer images keep finishing there', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' }, '/images/stuck');
  await site.open('<img id="stuck" data-cdn-src="/images/stuck.png" alt="">', { manifest: site.manifest({ failover: { timeout: 1000 } }) });
  await stuckOnBusyEdge(page);
});

test('lazy images bound to an edge that goes down move off it before they start: none lost', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' });
  await site.open('<div style="height:5000px"></div>' + images(12, 'loading="lazy"'), {
    manifest: site.manifest({ probe: { timeout: 1000, interval: 60000 } }),
  });
  await seen(page, `window.__events.some((e) => e.type === 'cdn:edge' && e.id === 'a' && e.state === 'down')`);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const done = await settled(page, 12, 20000);
  expect(done.every((e) => e.type === 'cdn:load' && e.source === 'b')).toBe(true);
  expect(await imageSources(page, site)).toEqual(Array(12).fill('b'));
});

for (const when of ['as', 'just after'] as const)
  test(`lazy images scrolled into view ${when} their edge goes down start on the next source, not on the down edge`, async ({ page, site }) => {
    // Case 5's moment: the page scrolls inside the cdn:edge handler, or in the next task.
    await site.a.set({ fault: 'blackhole' });
    await page.addInitScript((now) => {
      const down = () => scrollTo(0, document.body.scrollHeight);
      document.addEventListener('cdn:edge', (e) => (e as CustomEvent).detail.state === 'down' && (now ? down() : setTimeout(down)));
    }, when === 'as');
    await site.open('<div style="height:5000px"></div>' + images(12, 'loading="lazy"'), {
      manifest: site.manifest({ probe: { timeout: 1000, interval: 60000 } }),
    });
    const done = await settled(page, 12, 20000);
    expect(done.every((e) => e.type === 'cdn:load' && e.source === 'b')).toBe(true);
    expect(site.a.hits((p) => p.startsWith('/images/'))).toEqual([]);
  });

test('a dead edge: once one attempt there is late, every silent one moves with it, before its own deadline', async ({ page, site }) => {
  // Case 13 (a first visit to a hanging edge): nothing ever arrives from edge a, the only edge. The first image starts
  // at once; four more (six connections with the ping: all on the wire) start only once a gate on the
  // origin answered (1.5 s later), so their own deadline (3 s) is well after the first's. The first's
  // deadline finds edge a dead: the four move with it, in the same task, instead of each waiting 1.5 s
  // more for its own deadline and idle check.
  await site.a.set({ fault: 'blackhole' });
  await site.origin.set({ fault: 'slow', delay: 1500 }, '/gate');
  await page.addInitScript(() => {
    const w = window as unknown as { __batches: number[] };
    w.__batches = [];
    // Moves dispatched in one task: one batch (the microtask runs once the task's script has returned).
    let open = false;
    document.addEventListener('cdn:fallback', () => {
      if (!open) (open = true), w.__batches.push(0), queueMicrotask(() => (open = false));
      w.__batches[w.__batches.length - 1]++;
    });
  });
  await site.open(
    `<img id="first" data-cdn-src="/images/first.png" alt=""><script>fetch('/gate').then(() => { for (let i = 0; i < 4; i++) { const img = document.createElement('img'); img.id = 'late' + i; img.setAttribute('data-cdn-src', '/images/late' + i + '.png'); document.body.appendChild(img); } });</script>`,
    { manifest: site.manifest({ edges: [{ id: 'a', url: site.a.url }], failover: { timeout: 3000 }, probe: { timeout: 10000, interval: 60000 } }) },
  );
  await site.a.waitFor((p) => p.startsWith('/images/late3'));
  const done = await settled(page, 5, 20000);
  expect(done.every((e) => e.type === 'cdn:load' && e.source === 'origin')).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __batches: number[] }).__batches)).toEqual([5]);
  // Each asked of edge a once and of the origin once (a hedge, then the element from the cache).
  expect(site.counts('/images/')).toEqual({ origin: 5, a: 5, b: 0, c: 0 });
  expect((await events(page, 'cdn:edge')).filter((e) => e.id === 'a')).toEqual([expect.objectContaining({ state: 'down' })]);
});

test('pings answered during a long task are no timeouts: no edge goes down', async ({ page, site }) => {
  // A busy phone, or a loaded machine (the genuine-404 feed's flaky runs: edges b and c, which only
  // ever answered 404s, went down on a ping round and came back on the next): the pings' answers arrive
  // while the main thread is busy. Chromium then runs the ping's due timer before their load events.
  await site.open('', { manifest: site.manifest({ probe: { timeout: 1000, interval: 60000 } }) });
  await page.evaluate(() => window.CDNLoader!.probe());
  // The answers leave the edges 300 ms after the pings came: while the page is busy, well within the ping's timeout.
  for (const e of site.edges) await e.set({ fault: 'slow', delay: 300 }, '/cdn-probe');
  await page.evaluate(() => {
    const round = window.CDNLoader!.probe();
    setTimeout(() => {
      const end = performance.now() + 1500;
      while (performance.now() < end);
    }, 50);
    return round;
  });
  expect(await events(page, 'cdn:edge')).toEqual([]);
  expect((await events(page, 'cdn:probe')).filter((e) => !e.ok)).toEqual([]);
});

test('a down edge is probed after 1 s, 2 s, 4 s… up to the interval, not every second', async ({ page, site }) => {
  await site.a.set({ fault: 'status', status: 500 });
  await site.open('', { manifest: site.manifest({ probe: { timeout: 1000, interval: 8000 } }) });
  // Edge b is probed at start and again one interval (8 s) later. By then edge a, down from its first
  // ping, had its backoff pings after 1 s, 2 s and 4 s (plus the round): 4 or 5, where a ping every
  // second would make 8 or 9.
  await site.b.waitFor(() => site.b.probes().length >= 2, 15000);
  expect(site.a.probes().length).toBeGreaterThanOrEqual(3);
  expect(site.a.probes().length).toBeLessThanOrEqual(5);
});

test('lazy images moving off a down edge count as one outage: its backoff pings go on', async ({ page, site }) => {
  await site.a.set({ fault: 'blackhole' });
  await site.open('<div style="height:5000px"></div>' + images(12, 'loading="lazy"'), {
    manifest: site.manifest({ probe: { timeout: 1000, interval: 60000 } }),
  });
  await seen(page, `window.__events.some((e) => e.type === 'cdn:edge' && e.id === 'a' && e.state === 'down')`);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await settled(page, 12, 20000);
  // Down after its first ping, edge a is pinged again after 1 s, 2 s, 4 s. Were each of the 12 moves a
  // failure of its own, the backoff would be the whole 60 s interval.
  await site.a.waitFor(() => site.a.probes().length >= 4, 20000);
});

test('a <picture> whose source hangs fails over, though another image loaded its <img> URL from that edge', async ({ page, site }) => {
  // Edge a answers /images/small.png and never answers /images/large.png, which the picture's <source> chooses.
  // The plain image's answer for a's small.png is in Resource Timing, under the URL of the picture's <img src>.
  await site.a.set({ fault: 'blackhole' }, '/images/large');
  await site.open(
    '<img id="plain" data-cdn-src="/images/small.png" alt="">' +
      '<picture><source data-cdn-srcset="/images/large.png"><img id="pic" data-cdn-src="/images/small.png" alt=""></picture>',
    { manifest: site.manifest({ edges: [site.a, site.b].map((e) => ({ id: e.name, url: e.url })), failover: { timeout: 1000 } }) },
  );
  await page.waitForFunction(() => (window as unknown as { __events: SeenEvent[] }).__events.some((e) => e.type === 'cdn:load' && e.el === 'pic'), undefined, { timeout: 15000 });
  expect((await events(page, 'cdn:fallback')).filter((e) => e.el === 'pic')).toEqual([expect.objectContaining({ from: 'a', to: 'b', reason: 'timeout' })]);
  expect((await events(page, 'cdn:load')).find((e) => e.el === 'plain')?.source).toBe('a');
});
