// The inline boot reads the manifest leniently, without manifest.ts's messages (src/boot/readManifest.ts).
// Whatever the runtime's validator accepts, the boot must read the same way: the same sources, ids and
// weights, the same rule for every path, the same mode, retries and health TTL. Otherwise it would start
// resources where the runtime would not, and the runtime would fetch them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../src/manifest/manifest.js';
import { readConfig } from '../src/boot/readManifest.js';
import { remembered } from '../src/health/health.js';
import { DEFAULT_SEED, fuzzCase, type FuzzBase } from './fuzzgen.js';

const PAGE = 'https://www.example.org/blog/post.html';
const BASE: FuzzBase = {
  page: PAGE,
  origin: 'https://www.example.org',
  edges: ['https://cdn-a.example.org', 'https://cdn-b.example.org/site', 'http://127.0.0.1:8080'],
  assets: ['/images/a.png', '/css/site.css', '/js/app.js', '/fonts/x.woff2', '/index.html'],
};
// (The boot reads location.origin for a manifest without "origin".)
(globalThis as { location?: unknown }).location ??= new URL(PAGE);

test('the boot reads every manifest the runtime accepts as the runtime does (3,000 seeded manifests)', () => {
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const c = fuzzCase(DEFAULT_SEED, i, BASE);
    if (!c.json) continue;
    let value: unknown;
    try {
      value = JSON.parse(JSON.stringify(c.value));
    } catch {
      continue;
    }
    let cfg;
    try {
      cfg = parseManifest(value, PAGE);
    } catch {
      continue;
    }
    accepted++;
    const boot = readConfig(value as Record<string, unknown>);
    const at = `case ${i}`;
    assert.deepEqual(boot.origin, cfg.origin, at);
    assert.deepEqual(boot.edges, cfg.edges, at);
    assert.equal(boot.mode, cfg.mode, at);
    assert.equal(!!boot.sticky, cfg.sticky, at);
    assert.equal(boot.retries, cfg.failover.retries, at);
    assert.equal(boot.ttl, cfg.probe.ttl, at);
    for (const p of [...BASE.assets, '/', '/images/', '/images/deep/x.png', '/other/a.js', ...cfg.rules.map((r) => r.path.replace(/\*+/g, 'x'))]) {
      const b = boot.find(p);
      const r = cfg.find(p);
      assert.equal(b?.path, r?.path, `${at}: ${p}`);
      assert.equal(b?.mode, r?.mode, `${at}: ${p}`);
      assert.equal(b?.integrity, r?.integrity, `${at}: ${p}`);
    }
  }
  assert.ok(accepted > 200, `only ${accepted} manifests accepted`);
});

test('remembered: an edge is remembered only while its entry is fresh, and never from the future', () => {
  const saved = { 'https://a': [0, 40, 2, 1000], 'https://b': [1, null, 0, 5000], odd: 'x' };
  assert.deepEqual(remembered(saved, 'https://a', 500, 1200), [0, 40, 2, 1000]);
  assert.equal(remembered(saved, 'https://a', 500, 1500), undefined);
  assert.equal(remembered(saved, 'https://b', 500, 1200), undefined);
  assert.equal(remembered(saved, 'odd', 500, 1200), undefined);
  assert.equal(remembered(undefined, 'https://a', 500, 1200), undefined);
});

test('a source URL the runtime refuses, the boot refuses too: it never starts a resource on an edge the runtime disowns for its URL', () => {
  const bad = ['ftp://x', 'javascript:alert(1)', 'data:text/html,x', '//cdn.example.org', 'https://user:pw@cdn.example.org', 'https://cdn.example.org/?x=1', 'https://cdn.example.org/#a', 'https://exa mple.org', 'https://exa\tmple.org', 'https://example.org/a b', 'not a url'];
  for (const url of bad)
    for (const m of [{ edges: [url] }, { edges: [{ url }] }, { origin: url }, { origin: { url } }]) {
      assert.throws(() => parseManifest(m, PAGE), JSON.stringify(m));
      assert.throws(() => readConfig(m), JSON.stringify(m));
    }
});
