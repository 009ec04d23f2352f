// Probe timing and the probe scheduler, in Node: fetch probes against msw handlers that answer,
// fail, refuse CORS or hang longer than the probe timeout.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { http, HttpResponse, delay } from 'msw';
import { ping } from '../src/health/probe.js';
import { monitor } from '../src/health/monitor.js';
import { newHealth } from '../src/health/health.js';
import { safeStore } from '../src/lib/store.js';

// A ping's timeout is confirmed once the page is idle (chain.ts `idle`), read from a browser's `self`: Node 20 has
// no `self` (nor requestIdleCallback, so a timer stands in, as in Safari).
(globalThis as { self?: unknown }).self ??= globalThis;

const edge = (id: string) => ({ id, url: `https://${id}.cdn.test`, weight: 1 });
const seen: string[] = [];
const server = setupServer(
  http.get('https://ok.cdn.test/cdn-probe.gif', ({ request }) => {
    seen.push(request.url);
    return new HttpResponse('GIF', { headers: { 'Access-Control-Allow-Origin': '*' } });
  }),
  http.get('https://slow.cdn.test/cdn-probe.gif', async () => {
    await delay(120);
    return new HttpResponse('GIF');
  }),
  // Longer than every probe timeout below: a host that does not answer in time.
  http.get('https://hang.cdn.test/cdn-probe.gif', async () => {
    await delay(3000);
    return new HttpResponse('GIF');
  }),
  http.get('https://broken.cdn.test/cdn-probe.gif', () => new HttpResponse('nope', { status: 500 })),
  http.get('https://refused.cdn.test/cdn-probe.gif', () => HttpResponse.error()),
);

before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const opts = { type: 'fetch' as const, path: '/cdn-probe.gif', timeout: 300 };

test('a fetch probe measures an answering edge, with a cache-busting query', async () => {
  const r = await ping(edge('ok'), opts);
  assert.equal(r.ok, true);
  assert.ok(r.ms >= 0 && r.ms < 300, String(r.ms));
  const r2 = await ping(edge('slow'), opts);
  assert.equal(r2.ok, true);
  assert.ok(r2.ms >= 100, String(r2.ms));
  assert.equal(seen.length, 1);
  assert.match(seen[0], /\/cdn-probe\.gif\?cdn-probe=\w+$/);
});

test('errors, 5xx and no answer within the timeout fail the ping', async () => {
  assert.equal((await ping(edge('broken'), opts)).ok, false);
  assert.equal((await ping(edge('refused'), opts)).ok, false);
  const t0 = performance.now();
  const r = await ping(edge('hang'), opts);
  const took = performance.now() - t0;
  assert.equal(r.ok, false);
  // Bounded, not benchmarked: a generous ceiling for a busy machine.
  assert.ok(took >= 290 && took < 10000, String(took));
});

/** Timers the test runs by hand. */
function timers() {
  const list: { fn: () => void; ms: number; live: boolean }[] = [];
  return {
    list,
    set(fn: () => void, ms: number) {
      const t = { fn, ms, live: true };
      list.push(t);
      return () => (t.live = false);
    },
    live: () => list.filter((t) => t.live),
  };
}

test('monitor: a round pings every edge, a down edge is re-probed on its backoff and comes back', async () => {
  const edges = [edge('ok'), edge('flaky')];
  let flakyUp = false;
  server.use(http.get('https://flaky.cdn.test/cdn-probe.gif', () => (flakyUp ? new HttpResponse('GIF') : new HttpResponse('x', { status: 503 }))));
  const changes: string[] = [];
  const health = newHealth(edges, { ttl: 1000, interval: 30000, _store: safeStore(() => null), _now: Date.now, _changed: (s) => changes.push(`${s.id} ${s.state}`) });
  const t = timers();
  const pings: string[] = [];
  // Every ping the monitor sends, so the test can wait for them instead of sleeping.
  const sent: Promise<unknown>[] = [];
  const m = monitor({
    edges,
    _health: health,
    probe: { ...opts, interval: 30000 },
    _ping: (e, o) => {
      const p = ping(e, o);
      sent.push(p);
      return p;
    },
    _pinged: (e, r) => pings.push(`${e.id} ${r.ok}`),
    _setTimer: t.set,
    _visible: () => true,
  });
  await m._round();
  assert.deepEqual(pings.sort(), ['flaky false', 'ok true']);
  assert.deepEqual(changes, ['flaky down']);
  // Two timers: the next round (30 s) and the flaky edge's re-probe (1 s backoff).
  assert.deepEqual(t.live().map((x) => x.ms).sort((a, b) => a - b), [1000, 30000]);
  flakyUp = true;
  const retry = t.live().find((x) => x.ms === 1000)!;
  retry.live = false;
  retry.fn();
  await Promise.all(sent);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(changes, ['flaky down', 'flaky up']);
  assert.equal(health.isUp('flaky'), true);
  m._stop();
  assert.deepEqual(t.live(), []);
});

test('monitor: hidden pages skip rounds until they are visible again; check() pings one edge once', async () => {
  const edges = [edge('ok')];
  const health = newHealth(edges, { ttl: 1000, interval: 30000, _store: safeStore(() => null), _now: Date.now, _changed() {} });
  const t = timers();
  let visible = false;
  let count = 0;
  const m = monitor({
    edges,
    _health: health,
    probe: { ...opts, interval: 30000 },
    _ping: async () => {
      count++;
      return { ok: true, ms: 5 };
    },
    _pinged() {},
    _setTimer: t.set,
    _visible: () => visible,
  });
  await m._round();
  assert.equal(count, 1);
  const next = t.live()[0];
  next.live = false;
  next.fn();
  assert.equal(count, 1);
  visible = true;
  m._wake();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(count, 2);
  m._check('ok');
  m._check('ok');
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(count, 3);
  m._stop();
});

test('monitor: on a busy edge a ping that timed out is not counted; one that answered counts as up, and may lower its latency, not raise it', async () => {
  const edges = [edge('ok')];
  const health = newHealth(edges, { ttl: 1000, interval: 30000, _store: safeStore(() => null), _now: Date.now, _changed() {} });
  let answer = { ok: false, ms: 1000 };
  const m = monitor({
    edges,
    _health: health,
    probe: { ...opts, interval: 30000 },
    _ping: async () => answer,
    _pinged() {},
    _setTimer: timers().set,
    _busy: () => true,
    _visible: () => true,
  });
  await m._round();
  assert.equal(health.isUp('ok'), true);
  answer = { ok: true, ms: 40 };
  await m._round();
  assert.equal(health.latency('ok'), 40);
  answer = { ok: true, ms: 900 };
  await m._round();
  assert.equal(health.latency('ok'), 40);
  answer = { ok: true, ms: 10 };
  await m._round();
  assert.equal(health.latency('ok'), 31);
  m._stop();
});
