import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidates, choose, newSelection, pickFastest, pickRoundRobin, pickSticky, type Choice } from '../src/chain/select.js';
import type { Source } from '../src/manifest/manifest.js';

const src = (id: string, weight = 1): Source => ({ id, url: `https://${id}.example.org`, weight });
const origin = src('origin');
const [a, b, c] = [src('a', 2), src('b'), src('c')];

test('smooth weighted round-robin: exact shares, evenly interleaved', () => {
  const sel = newSelection();
  const picks = Array.from({ length: 10 }, () => pickRoundRobin([a, b, c, origin], sel)!.id);
  assert.deepEqual(picks, ['a', 'b', 'c', 'origin', 'a', 'a', 'b', 'c', 'origin', 'a']);
  const counts: Record<string, number> = {};
  for (let i = 0; i < 100; i++) {
    const id = pickRoundRobin([a, b, c, origin], sel)!.id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  assert.deepEqual(counts, { a: 40, b: 20, c: 20, origin: 20 });
});

test('round-robin leaves out weight 0', () => {
  const sel = newSelection();
  const ids = new Set(Array.from({ length: 20 }, () => pickRoundRobin([a, b, src('origin', 0)], sel)!.id));
  assert.deepEqual([...ids].sort(), ['a', 'b']);
});

test('sticky: stable per path, spread by weight, and only the paths of a lost source move', () => {
  const pool = [a, b, c, origin];
  const paths = Array.from({ length: 5000 }, (_, i) => `/images/${i}.png`);
  const first = paths.map((p) => pickSticky(pool, p)!.id);
  assert.deepEqual(paths.map((p) => pickSticky(pool, p)!.id), first);
  const counts: Record<string, number> = {};
  for (const id of first) counts[id] = (counts[id] ?? 0) + 1;
  // Expected shares 40/20/20/20 %.
  assert.ok(Math.abs(counts.a / 5000 - 0.4) < 0.03, JSON.stringify(counts));
  assert.ok(Math.abs(counts.b / 5000 - 0.2) < 0.03, JSON.stringify(counts));
  const without = paths.map((p) => pickSticky([a, c, origin], p)!.id);
  first.forEach((id, i) => id !== 'b' && assert.equal(without[i], id));
});

test('always: first edge before measurement, then the fastest, with hysteresis', () => {
  const sel = newSelection();
  const lat: Record<string, number | null> = { a: null, b: null, c: null };
  const l = (id: string) => lat[id] ?? null;
  assert.equal(pickFastest([a, b, c], l, sel)!.id, 'a');
  Object.assign(lat, { a: 50, b: 20, c: 30 });
  assert.equal(pickFastest([a, b, c], l, sel)!.id, 'b');
  // c slightly faster than b: not enough to switch.
  Object.assign(lat, { b: 20, c: 18 });
  assert.equal(pickFastest([a, b, c], l, sel)!.id, 'b');
  // clearly faster: switch.
  Object.assign(lat, { c: 5 });
  assert.equal(pickFastest([a, b, c], l, sel)!.id, 'c');
  // c goes down: the fastest remaining.
  assert.equal(pickFastest([a, b], l, sel)!.id, 'b');
  assert.equal(pickFastest([], l, sel), undefined);
});

test('choose and candidates', () => {
  const base: Choice = { _mode: 'always', _sticky: false, _origin: origin, _healthy: [a, b, c], _latency: () => null };
  const sel = newSelection();
  assert.equal(choose({ ...base, _mode: 'off' }, '/x', sel).id, 'origin');
  assert.equal(choose({ ...base, _healthy: [] }, '/x', sel).id, 'origin');
  const chosen = choose(base, '/x', sel);
  assert.deepEqual(candidates(base, chosen, 1).map((s) => s.id), ['a', 'b', 'origin']);
  assert.deepEqual(candidates(base, chosen, 0).map((s) => s.id), ['a', 'origin']);
  assert.deepEqual(candidates(base, chosen, 5).map((s) => s.id), ['a', 'b', 'c', 'origin']);
  assert.deepEqual(candidates({ ...base, _latency: (id) => ({ a: 9, b: 30, c: 10 })[id] ?? null }, a, 1).map((s) => s.id), ['a', 'c', 'origin']);
  assert.deepEqual(candidates(base, origin, 2).map((s) => s.id), ['origin']);
});
