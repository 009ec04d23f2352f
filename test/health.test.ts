import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newHealth } from '../src/health/health.js';
import { safeStore } from '../src/lib/store.js';
import { newSelection, pickFastest } from '../src/chain/select.js';
import type { EdgeStatus } from '../src/types.js';

const edges = [
  { id: 'a', url: 'https://a.example.org', weight: 1 },
  { id: 'b', url: 'https://b.example.org', weight: 1 },
];

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

function make(storage = memory(), now = { t: 1000000 }) {
  const changes: EdgeStatus[] = [];
  const h = newHealth(edges, { ttl: 60000, interval: 30000, _store: safeStore(() => storage), _now: () => now.t, _changed: (s) => changes.push(s) });
  return { h, changes, storage, now };
}

test('up until a ping fails; latency is smoothed', () => {
  const { h, changes } = make();
  assert.equal(h.isUp('a'), true);
  assert.equal(h.latency('a'), null);
  h.ping('a', true, 100);
  h.ping('a', true, 200);
  assert.equal(h.latency('a'), 130);
  h.ping('a', false, 2000);
  assert.equal(h.isUp('a'), false);
  assert.deepEqual(changes, [{ id: 'a', url: 'https://a.example.org', weight: 1, state: 'down', latency: 130 }]);
  h.ping('a', true, 100);
  assert.equal(h.isUp('a'), true);
  assert.equal(changes.length, 2);
});

test('a resource failure counts at once', () => {
  const { h } = make();
  h.fail('b');
  assert.equal(h.isUp('b'), false);
  assert.equal(h.isUp('a'), true);
});

test('backoff doubles with every fall and resets after a stable interval', () => {
  const { h, now } = make();
  h.fail('a');
  assert.equal(h.backoff('a'), 1000);
  h.ping('a', true, 10);
  h.fail('a');
  assert.equal(h.backoff('a'), 2000);
  h.ping('a', true, 10);
  h.fail('a');
  assert.equal(h.backoff('a'), 4000);
  for (let i = 0; i < 10; i++) {
    h.ping('a', true, 10);
    h.fail('a');
  }
  assert.equal(h.backoff('a'), 30000);
  h.ping('a', true, 10);
  now.t += 30000;
  h.ping('a', true, 10);
  h.fail('a');
  assert.equal(h.backoff('a'), 1000);
});

test('every failed ping while down doubles the wait again: 1 s, 2 s, 4 s … up to the interval', () => {
  const { h } = make();
  h.fail('a');
  const waits = [h.backoff('a')];
  for (let i = 0; i < 6; i++) {
    h.ping('a', false, 1000);
    waits.push(h.backoff('a'));
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
});

test('health is remembered by the next page within the TTL, forgotten after it', () => {
  const first = make();
  first.h.fail('a');
  first.h.ping('b', true, 42);
  const next = make(first.storage, { t: first.now.t + 59000 });
  assert.equal(next.h.isUp('a'), false);
  assert.equal(next.h.latency('b'), 42);
  const later = make(first.storage, { t: first.now.t + 61000 });
  assert.equal(later.h.isUp('a'), true);
  assert.equal(later.h.latency('b'), null);
});

test('storage that is missing, throws or is full is survived', () => {
  const throwing = {
    getItem: () => {
      throw new Error('SecurityError');
    },
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
  };
  const h = newHealth(edges, { ttl: 1, interval: 1, _store: safeStore(() => throwing), _now: Date.now, _changed() {} });
  h.fail('a');
  assert.equal(h.isUp('a'), false);
  const missing = newHealth(edges, {
    ttl: 1,
    interval: 1,
    _store: safeStore(() => {
      throw new Error('no localStorage');
    }),
    _now: Date.now,
    _changed() {},
  });
  missing.ping('b', true, 1);
  assert.equal(missing.latency('b'), 1);
  const junk = memory();
  junk.setItem('cdn-loader:health', '{not json');
  assert.equal(make(junk).h.isUp('a'), true);
});

test('edge ids that are Object.prototype names are ordinary names', () => {
  const odd = ['__proto__', 'constructor', 'toString'].map((id, i) => ({ id, url: `https://${i}.example.org`, weight: 1 }));
  const h = newHealth(odd, { ttl: 1000, interval: 1000, _store: safeStore(() => null), _now: Date.now, _changed() {} });
  h.ping('__proto__', true, 12);
  h.fail('constructor');
  assert.deepEqual(
    h.list().map((s) => [s.id, s.state, s.latency]),
    [
      ['__proto__', 'up', 12],
      ['constructor', 'down', null],
      ['toString', 'up', null],
    ],
  );
});

test('the edge `always` uses is saved with the health, and the next page starts with it', () => {
  const storage = memory();
  const sel = newSelection();
  const first = newHealth(edges, { ttl: 60000, interval: 30000, _store: safeStore(() => storage), _now: () => 1000000, _changed() {}, _sel: sel });
  // Before any measurement: the first edge in manifest order.
  assert.equal(pickFastest(edges, (id) => first.latency(id), sel)?.id, 'a');
  first.ping('a', true, 30);
  first.ping('b', true, 29);
  assert.equal(pickFastest(edges, (id) => first.latency(id), sel)?.id, 'a');
  const next = newSelection();
  const second = newHealth(edges, { ttl: 60000, interval: 30000, _store: safeStore(() => storage), _now: () => 1000001, _changed() {}, _sel: next });
  assert.equal(next._best, 'a');
  // Edge b is not clearly faster: the new page stays with a (without the memory it would take b).
  assert.equal(pickFastest(edges, (id) => second.latency(id), next)?.id, 'a');
  assert.equal(pickFastest(edges, (id) => second.latency(id), newSelection())?.id, 'b');
  // Nor after the TTL.
  const late = newSelection();
  newHealth(edges, { ttl: 60000, interval: 30000, _store: safeStore(() => storage), _now: () => 1000000 + 60000, _changed() {}, _sel: late });
  assert.equal(late._best, undefined);
});
