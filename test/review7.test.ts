// Review r7: failing tests for what the review of 7ad5afe..193b57d found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rewriteHtml } from '../cli/rewrite.js';
import { ALL_VARIANTS } from '../bench/firstVisit.js';

test('bench §8: every diagnostic variant that swaps a part of the boot still finds it in the built boot (swap throws otherwise)', () => {
  const boot = readFileSync('dist/cdn-loader-boot.js', 'utf8');
  const w = { origin: { url: 'http://o' }, a: { url: 'http://a' }, b: { url: 'http://b' }, manifestJson: '{}', boot, dist: '', baseBoot: '' } as never;
  const broken = ALL_VARIANTS.filter((v) => {
    try {
      v.head(w);
      return false;
    } catch {
      return true;
    }
  }).map((v) => v.key);
  assert.deepEqual(broken, []);
});

test('a second rewrite that gives a data-plain page a data-cdn-* image takes data-plain off the boot\'s tag wherever that tag is (here after the runtime\'s tag, both in <head>)', () => {
  const registered = (p: string) => p.startsWith('/images/');
  const html =
    '<!doctype html><html><head><script async src="/r.js" data-manifest="#cdn-manifest"></script><script data-manifest="#cdn-manifest" data-plain>boot</script></head>' +
    '<body><img loading="lazy" src="/images/a.png"></body></html>';
  const out = rewriteHtml(html, { page: '/a.html', registered, tag: 'x', origins: ['https://www.example.org'] }).html;
  assert.match(out, /data-cdn-src="\/images\/a\.png"/);
  assert.doesNotMatch(out, /data-plain/);
});
