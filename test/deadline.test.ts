import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auto, deadlines } from '../src/chain/deadline.js';
import { blamed } from '../src/chain/chain.js';
import type { Source } from '../src/manifest/manifest.js';

const noop = () => {};

test('auto: 3 × latency + 250 ms within 400–4000 ms; 1200 ms when unknown', () => {
  assert.equal(auto(-1), 1200);
  assert.equal(auto(0), 400);
  assert.equal(auto(100), 550);
  assert.equal(auto(5000), 4000);
});

test('an attempt that is arriving is never late; one with no sign of life is', async () => {
  const d = deadlines(() => 0);
  const quiet = d._begin('a', () => false, noop);
  const arriving = d._begin('a', () => true, noop);
  assert.ok(d._remaining(quiet) <= 0);
  // With a 0 ms deadline, a sign of life moves it to now: at most a few ms late, never more.
  assert.ok(d._remaining(arriving) > -5);
});

test('answers on a source restart the clocks only while more than six attempts are in flight there', () => {
  const d = deadlines(() => 1000);
  const seen = (n: number) => Array.from({ length: n }, () => d._begin('a', () => false, noop));
  const few = seen(6);
  const before = few[5]._seen;
  // Six in flight: all requests are out, so one answering says nothing about the others.
  const t = performance.now();
  while (performance.now() - t < 5);
  d._end(few[0], true);
  assert.equal(few[5]._seen, before);
  const many = seen(4);
  d._end(few[1], true);
  assert.ok(many[3]._seen > before && few[5]._seen > before);
});

test('a source that went down re-checks its attempts; errors do not count as signs of life', () => {
  const d = deadlines(() => 1000);
  let checked = 0;
  const list = Array.from({ length: 8 }, () => d._begin('a', () => false, () => checked++));
  const before = list[7]._seen;
  d._end(list[0], false);
  assert.equal(list[7]._seen, before);
  assert.equal(d._busy('a', 1000), false);
  d._down('a');
  assert.equal(checked, 7);
});

test('a source that went down with an attempt late and nothing ever arrived there is dead: its attempts are late now; one that answered, is answering, or has none late (only its ping timed out) is only down', () => {
  let ms = 0;
  const d = deadlines(() => ms);
  const nows = (id: string, arriving = () => false) => {
    const seen: (boolean | undefined)[] = [];
    for (let i = 0; i < 3; i++) d._begin(id, i === 2 ? arriving : () => false, (now) => seen.push(now));
    d._down(id);
    return seen;
  };
  assert.deepEqual(nows('dead'), [true, true, true]);
  assert.deepEqual(nows('arriving', () => true), [false, false, false]);
  const once = d._begin('answered', () => false, () => {});
  d._end(once, true);
  assert.deepEqual(nows('answered'), [false, false, false]);
  ms = 1000;
  assert.deepEqual(nows('slow'), [false, false, false]);
});

test('blamed: failures count against their sources only when a later source served the resource', () => {
  const a = { id: 'a' } as Source;
  const origin = { id: 'origin' } as Source;
  assert.deepEqual(blamed([a], origin), [a]);
  assert.deepEqual(blamed([a, origin], undefined), []);
});
