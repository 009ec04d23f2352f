import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findRule, parseManifest, remember, type Config } from '../src/manifest/manifest.js';
import { compile, glob } from '../src/manifest/rules.js';

const page = 'https://www.example.org/';

/** The matcher before the index (a linear scan of the sorted rules, a glob DP per character): the reference. */
function referenceGlob(pattern: string, path: string): boolean {
  let ok = [true, ...Array.from(path, () => false)];
  for (let i = 0; i < pattern.length; i++) {
    const star = pattern[i] === '*';
    const any = star && pattern[i + 1] === '*';
    if (any) i++;
    const next = [star && ok[0]];
    for (let j = 1; j <= path.length; j++)
      next[j] = star ? ok[j] || (next[j - 1] && (any || path[j - 1] !== '/')) : ok[j - 1] && path[j - 1] === pattern[i];
    ok = next;
  }
  return ok[path.length];
}
const referenceTest = (pattern: string, path: string) =>
  pattern.includes('*') ? referenceGlob(pattern, path) : pattern.endsWith('/') ? path.startsWith(pattern) : path === pattern;
const reference = (c: Config, path: string) => c.rules.find((r) => referenceTest(r.path, path.replace(/[?#].*/, '')));

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the index picks the same rule as a linear scan of the sorted rules, on 1,500 random manifests', () => {
  const rnd = random(12);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const pieces = ['a', 'b', 'ab', '.png', 'x.', '*', '**', '/', '/', '-'];
  const pattern = () => {
    let p = '/';
    for (let n = Math.floor(rnd() * 6); n--; ) p += pick(pieces);
    return p.replace(/^\/+/, '/');
  };
  const text = () => {
    let p = '/';
    for (let n = Math.floor(rnd() * 7); n--; ) p += pick(['a', 'b', 'ab', '.png', 'x.', '/', '/', '-', '*']);
    return p.replace(/^\/+/, '/') + pick(['', '', '?v=1', '#f', '?a/b']);
  };
  let compared = 0;
  for (let m = 0; m < 1500; m++) {
    const assets = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => {
      const path = pattern();
      return rnd() < 0.5 ? path : { path, mode: pick(['always', 'off', 'round-robin']) };
    });
    const c = parseManifest({ assets }, page);
    const paths = [...Array.from({ length: 10 }, text), ...assets.map((a) => (typeof a === 'string' ? a : a.path).replace(/\*+/g, 'a'))];
    for (const p of paths) {
      assert.equal(findRule(c, p), reference(c, p), `manifest ${JSON.stringify(assets)}, path ${p}`);
      compared++;
    }
  }
  assert.ok(compared > 15000);
});

test('globs: the same answers as before, compiled once', () => {
  const rnd = random(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  for (let k = 0; k < 5000; k++) {
    let pattern = '/';
    for (let n = Math.floor(rnd() * 7); n--; ) pattern += pick(['a', 'b', '/', '*', '**', '.']);
    const match = glob(pattern);
    for (let n = 0; n < 8; n++) {
      let path = '/';
      for (let m = Math.floor(rnd() * 8); m--; ) path += pick(['a', 'b', '/', '.', 'ab']);
      assert.equal(match(path), referenceGlob(pattern, path), `${pattern} on ${path}`);
    }
  }
  assert.equal(compile('/***.png').test('/a/b.png'), true);
  assert.equal(compile('/a/**').test('/a/'), true);
  assert.equal(compile('/**').test('/'), true);
  assert.equal(compile('/*').test('/'), true);
  assert.equal(compile('/*/').test('/a/b/'), false);
});

test('precedence: exact, then glob, then prefix; the longer pattern; then the first written', () => {
  const c = parseManifest(
    {
      assets: [
        { path: '/a/', mode: 'off' },
        { path: '/a/b/', mode: 'always' },
        { path: '/a/b/', mode: 'off' },
        { path: '/a/*.png', mode: 'off' },
        { path: '/a/**.png', mode: 'always' },
        { path: '/**.png', mode: 'round-robin' },
        { path: '/a/x.png', mode: 'round-robin' },
        { path: '/a/x.png', mode: 'off' },
      ],
    },
    page,
  );
  assert.equal(findRule(c, '/a/x.png?v=1')?.mode, 'round-robin');
  assert.equal(findRule(c, '/a/y.png')?.path, '/a/**.png');
  assert.equal(findRule(c, '/a/b/y.png')?.path, '/a/**.png');
  assert.equal(findRule(c, '/b/y.png')?.path, '/**.png');
  assert.equal(findRule(c, '/a/b/y.gif')?.mode, 'always');
  assert.equal(findRule(c, '/a/y.gif')?.mode, 'off');
  assert.equal(findRule(c, '/b/y.gif'), undefined);
  assert.equal(findRule(c, ''), undefined);
  assert.equal(findRule(c, '?x=/a/'), undefined);
});

test('10,000 rules: a lookup tries a handful of globs at most, whatever the rule count', () => {
  const assets: string[] = [];
  for (let i = 0; i < 2500; i++) assets.push(`/e/${i}.png`, `/p/${i}/`, `/g/${i}/*.png`, `/h/${i}/**/x.js`);
  const c = parseManifest({ assets }, page);
  let tried = 0;
  for (const r of c.rules) {
    const test = r.test;
    r.test = (p) => (tried++, test(p));
  }
  const paths = ['/e/2499.png', '/p/2499/a/b.png', '/g/2499/a.png', '/h/2499/a/b/x.js', '/none/at/all.png', '/g/2499/a/b.png'];
  const found = paths.map((p) => findRule(c, p)?.path);
  assert.deepEqual(found, ['/e/2499.png', '/p/2499/', '/g/2499/*.png', '/h/2499/**/x.js', undefined, undefined]);
  // A linear scan tests thousands of rules for each of these paths.
  assert.ok(tried <= paths.length, `tried ${tried} rules`);
});

test('remember (the runtime\'s rule of each path, bench §12): the same answers, each computed once, at most 1,000 kept', () => {
  const cfg = parseManifest({ edges: ['https://cdn.example.org'], assets: ['/img/', { path: '/app.js', mode: 'off' }, '/a/*.css'] }, page);
  let calls = 0;
  const find = remember((path) => (calls++, cfg.find(path)));
  const paths = ['/img/1.png', '/app.js', '/a/b.css', '/a/b/c.css', '/other', '/img/1.png?v=2'];
  for (const round of [1, 2]) {
    for (const p of paths) assert.equal(find(p), findRule(cfg, p), p);
    assert.equal(calls, paths.length, `round ${round}`);
  }
  // An unregistered path is remembered too (undefined is an answer).
  assert.equal(find('/other'), undefined);
  assert.equal(calls, paths.length);
  for (let i = 0; i < 1000; i++) find(`/img/n${i}.png`);
  // Past 1,000 keys it starts afresh: an old path is computed again.
  find('/app.js');
  assert.equal(calls, paths.length + 1001);
});
