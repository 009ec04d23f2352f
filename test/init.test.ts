// The ES module's init() where there is no page (server-side rendering, a Node script): one clear line,
// no stack trace, nothing thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, edges } from '../src/index.js';

test('init() in Node logs one line that says what to do, with no stack trace, and throws nothing', () => {
  assert.equal(typeof document, 'undefined');
  const logged: unknown[][] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    assert.doesNotThrow(() => init({ manifest: '/cdn-manifest.json' }));
  } finally {
    console.error = error;
  }
  assert.deepEqual(logged, [['cdn-loader: init() runs in a browser page, not here']]);
  assert.deepEqual(edges(), []);
});
