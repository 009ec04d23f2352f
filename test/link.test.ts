// The emulated downlink of `npm run bench` §9 (bench/network.ts): what it says about the loader's first visit
// is only as good as its model of the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Link } from '../bench/network.js';

// 8 Mbit/s: a 1,000 B segment takes 1 ms.
const link = () => new Link(8e6);

test('link: a segment reserved for later (a far host, one round trip away) does not hold back one ready sooner (a near host): it goes in the idle stretch before', () => {
  const l = link();
  assert.equal(l.reserve(150, 1000, 'origin'), 151);
  // Reserved after the far host's, ready at 30 ms: it arrives at 31 ms, not after 151 ms.
  assert.equal(l.reserve(30, 1000, 'edge'), 31);
  assert.equal(l.reserve(30, 1000, 'edge'), 32);
});

test('link: segments ready together share the link one after another, and a segment that does not fit in a gap goes after what fills it', () => {
  const l = link();
  assert.deepEqual([0, 0, 0].map(() => l.reserve(10, 1000)), [11, 12, 13]);
  assert.equal(l.reserve(14.5, 1000), 15.5);
  // The gap 13–14.5 is 1.5 ms: a 2 ms segment ready at 12 goes after 15.5.
  assert.equal(l.reserve(12, 2000), 17.5);
  // A 1 ms one ready at 12 fits in it.
  assert.equal(l.reserve(12, 1000), 14);
  assert.deepEqual(
    l.trace.map((s) => s.at),
    [11, 12, 13, 15.5, 17.5, 14],
  );
});
