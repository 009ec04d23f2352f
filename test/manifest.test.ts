import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findRule, parseManifest, ManifestError } from '../src/manifest/manifest.js';
import { compile } from '../src/manifest/rules.js';
import { readConfig } from '../src/boot/readManifest.js';

const page = 'https://www.example.org/page';
const refuse = (m: unknown, message: string, url = page) =>
  assert.throws(() => parseManifest(m, url), (e: Error) => e instanceof ManifestError && e.message === message);

test('defaults: origin is the page origin, mode always, one retry, probe every 30 s', () => {
  const c = parseManifest({}, page);
  assert.equal(c.mode, 'always');
  assert.deepEqual(c.origin, { id: 'origin', url: 'https://www.example.org', weight: 1 });
  assert.deepEqual(c.edges, []);
  assert.deepEqual(c.probe, { type: 'image', path: '/cdn-probe.gif', timeout: 2000, interval: 30000, ttl: 300000 });
  assert.deepEqual(c.failover, { timeout: 'auto', retries: 1 });
  assert.equal(c.manifestTimeout, 1500);
});

test('edges: strings and objects, ids default to the host, trailing slashes dropped, weights', () => {
  const c = parseManifest(
    { edges: [{ id: 'eu', url: 'https://cdn-eu.example.org/', weight: 2 }, { id: 'us', url: 'https://cdn-us.example.org/site' }, 'https://cdn3.example.org'] },
    page,
  );
  assert.deepEqual(c.edges, [
    { id: 'eu', url: 'https://cdn-eu.example.org', weight: 2 },
    { id: 'us', url: 'https://cdn-us.example.org/site', weight: 1 },
    { id: 'cdn3.example.org', url: 'https://cdn3.example.org', weight: 1 },
  ]);
});

test('the spec example parses', () => {
  const c = parseManifest(
    {
      mode: 'always',
      origin: 'https://www.example.org',
      edges: [{ id: 'eu', url: 'https://cdn-eu.example.org', weight: 2 }, { id: 'us', url: 'https://cdn-us.example.org/site' }, 'https://cdn3.example.org'],
      assets: ['/images/', '/js/*.js', { path: '/js/app.js', integrity: 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC' }, { path: '/css/', mode: 'off' }],
      probe: { type: 'image', path: '/cdn-probe.gif', timeout: 2000, interval: 30000 },
      failover: { timeout: 'auto', retries: 1 },
      debug: false,
    },
    page,
  );
  assert.equal(findRule(c, '/js/app.js')?.integrity?.slice(0, 7), 'sha384-');
  assert.equal(findRule(c, '/js/vendor.js')?.path, '/js/*.js');
  assert.equal(findRule(c, '/css/site.css')?.mode, 'off');
  assert.equal(findRule(c, '/fonts/x.woff2'), undefined);
});

test('refused manifests name the field and the problem', () => {
  refuse([], 'cdn-loader: manifest: an array is not a JSON object');
  refuse({ edges: ['https://ok.example.org', { url: 'ftp://x' }] }, 'cdn-loader: manifest.edges[1].url: "ftp://x" is not an http(s) URL');
  refuse({ edges: ['javascript:alert(1)'] }, 'cdn-loader: manifest.edges[0]: "javascript:alert(1)" is not an http(s) URL');
  refuse({ edges: ['data:text/html,x'] }, 'cdn-loader: manifest.edges[0]: "data:text/html,x" is not an http(s) URL');
  refuse({ edges: ['//cdn.example.org'] }, 'cdn-loader: manifest.edges[0]: "//cdn.example.org" is not an http(s) URL');
  refuse({ edges: ['https://user:pw@cdn.example.org'] }, 'cdn-loader: manifest.edges[0]: "https://user:pw@cdn.example.org" has credentials, a query or a fragment');
  refuse({ edges: ['https://cdn.example.org/?x=1'] }, 'cdn-loader: manifest.edges[0]: "https://cdn.example.org/?x=1" has credentials, a query or a fragment');
  refuse({ edges: ['http://cdn.example.org'] }, 'cdn-loader: manifest.edges[0]: "http://cdn.example.org" is http: on an https: page (mixed content)');
  refuse({ edges: ['https://a.example.org', 'https://a.example.org/x'] }, 'cdn-loader: manifest.edges[1]: "a.example.org" is taken: give each edge its own "id"');
  refuse({ edges: [{ id: 'origin', url: 'https://a.example.org' }] }, 'cdn-loader: manifest.edges[0].id: "origin" is taken: give each edge its own "id"');
  refuse({ edges: [{ url: 'https://a.example.org', weight: -1 }] }, 'cdn-loader: manifest.edges[0].weight: -1 is not a number from 0 to 1000000');
  refuse({ mode: 'fast' }, 'cdn-loader: manifest.mode: "fast" is not one of "always", "round-robin", "off"');
  refuse({ origin: 'ftp://x' }, 'cdn-loader: manifest.origin: "ftp://x" is not an http(s) URL');
  refuse({ assets: ['images/'] }, 'cdn-loader: manifest.assets[0]: "images/" is not a path starting with one "/"');
  refuse({ assets: [{ path: '/js/*.js', integrity: 'sha384-abc' }] }, 'cdn-loader: manifest.assets[0].integrity: "sha384-abc" needs an exact path, not a prefix or glob');
  refuse({ assets: [{ path: '/js/a.js', integrity: 'md5-abc' }] }, 'cdn-loader: manifest.assets[0].integrity: "md5-abc" is not an SRI hash such as "sha384-…"');
  refuse({ probe: { type: 'ping' } }, 'cdn-loader: manifest.probe.type: "ping" is not one of "image", "fetch"');
  refuse({ probe: { timeout: '2s' } }, 'cdn-loader: manifest.probe.timeout: "2s" is not a number from 50 to 60000');
  refuse({ failover: { retries: 1.5 } }, 'cdn-loader: manifest.failover.retries: 1.5 is not a whole number from 0 to 64');
  refuse({ failover: { timeout: 'soon' } }, 'cdn-loader: manifest.failover.timeout: "soon" is not a number from 50 to 60000');
  refuse({ debug: 'yes' }, 'cdn-loader: manifest.debug: "yes" is not true or false');
});

test('whitespace in a source URL is refused, by the runtime and by the inline boot (Chromium\'s URL parser accepts "https://exa mple.org")', () => {
  for (const url of ['https://exa mple.org', 'https://exa\tmple.org', 'https://example.org/a b', 'https://example.org/\n', ' https://example.org']) {
    refuse({ edges: [url] }, `cdn-loader: manifest.edges[0]: ${JSON.stringify(url)} is not an http(s) URL`);
    refuse({ origin: url }, `cdn-loader: manifest.origin: ${JSON.stringify(url)} is not an http(s) URL`);
    assert.throws(() => readConfig({ edges: [url] }), url);
    assert.throws(() => readConfig({ origin: url }), url);
  }
});

test('http: edges are fine on http: pages and on loopback from https: pages', () => {
  assert.equal(parseManifest({ edges: ['http://cdn.example.org'] }, 'http://www.example.org/').edges[0].url, 'http://cdn.example.org');
  assert.equal(parseManifest({ edges: ['http://edge-a.localhost:8080'] }, page).edges[0].url, 'http://edge-a.localhost:8080');
});

test('prototype keys are data, never followed', () => {
  const evil = JSON.parse('{"__proto__": {"mode": "off", "polluted": true}, "edges": [{"url": "https://a.example.org", "__proto__": {"id": "x"}}]}');
  const c = parseManifest(evil, page);
  assert.equal(c.mode, 'always');
  assert.equal(c.edges[0].id, 'a.example.org');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('patterns: prefix, exact, * within a segment, ** across segments', () => {
  assert.equal(compile('/images/').test('/images/a/b.png'), true);
  assert.equal(compile('/images/').test('/imagesx/a.png'), false);
  assert.equal(compile('/js/*.js').test('/js/app.js'), true);
  assert.equal(compile('/js/*.js').test('/js/a/app.js'), false);
  assert.equal(compile('/js/**.js').test('/js/a/b/app.js'), true);
  assert.equal(compile('/**/x.css').test('/a/b/x.css'), true);
  assert.equal(compile('/a.b/(x)+.png').test('/a.b/(x)+.png'), true);
  assert.equal(compile('/a.b/').test('/aXb/'), false);
});

test('the most specific rule wins: exact, then glob, then prefix; queries are ignored', () => {
  const c = parseManifest({ assets: [{ path: '/js/', mode: 'off' }, '/js/*.js', { path: '/js/app.js', mode: 'round-robin' }] }, page);
  assert.equal(findRule(c, '/js/app.js?v=2')?.mode, 'round-robin');
  assert.equal(findRule(c, '/js/other.js')?.path, '/js/*.js');
  assert.equal(findRule(c, '/js/lib/x.mjs')?.mode, 'off');
});

test('globs match in linear-ish time, whatever the pattern', () => {
  const long = '/' + 'a'.repeat(3000);
  const t0 = performance.now();
  assert.equal(compile('/*a*a*a*a*a*a*a*a*b').test(long), false);
  assert.equal(compile('/**/**/**/**/**/x.png').test('/a'.repeat(1000) + '/y.png'), false);
  // A backtracking regex takes minutes here; the ceiling is generous for a busy machine.
  assert.ok(performance.now() - t0 < 10000);
  assert.equal(compile('/*a*a*b').test('/xaxayb'), true);
  assert.equal(compile('/**/x.png').test('/x.png'), false);
  assert.equal(compile('/**x.png').test('/x.png'), true);
  assert.equal(compile('/a/*').test('/a/'), true);
  assert.equal(compile('/a/*').test('/a/b/c'), false);
});

test('serviceWorker names only cdn-loader-sw.js: a manifest cannot make the page import other code', () => {
  const page = 'https://www.example.org/';
  assert.equal(parseManifest({ serviceWorker: '/cdn-loader-sw.js' }, page).worker, '/cdn-loader-sw.js');
  assert.equal(parseManifest({ serviceWorker: '/app/cdn-loader-sw.js' }, page).worker, '/app/cdn-loader-sw.js');
  for (const bad of ['/api/jsonp?callback=alert', '/uploads/x.js', '/cdn-loader-sw.js?x=1', '//evil.example/cdn-loader-sw.js', '/a/../cdn-loader-sw.js#x'])
    assert.throws(() => parseManifest({ serviceWorker: bad }, page), /manifest\.serviceWorker: .* is not a path to cdn-loader-sw\.js/, bad);
});
