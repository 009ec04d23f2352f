// The service worker's pure parts: its Static Routing rules and the failover deadline it shares with the loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../src/manifest/manifest.js';
import { routes } from '../src/worker/routes.js';
import { deadline } from '../src/worker/workerDeadline.js';
import { planRequest } from '../src/worker/workerPlan.js';
import { newSelection } from '../src/chain/select.js';

const page = 'https://www.example.org/app/';

test('routes: probes, navigations and writes go to the network; registered paths and edges to the worker; the rest to the network', () => {
  const cfg = parseManifest({ edges: ['https://cdn.example.org/site'], assets: ['/assets/', '/js/*.js', '/a(1).png'], serviceWorker: '/cdn-loader-sw.js' }, page);
  const r = routes(cfg, 'https://www.example.org');
  assert.equal(r[0].source, 'network');
  assert.equal(r[0].condition.urlPattern?.search, '*cdn-probe=*');
  assert.deepEqual(r[1].condition, { requestMode: 'navigate' });
  const taken = r.filter((x) => x.source === 'fetch-event').map((x) => `${x.condition.urlPattern!.hostname}${x.condition.urlPattern!.pathname}`);
  assert.deepEqual(taken, ['www.example.org/a\\(1\\).png', 'www.example.org/js/*.js', 'www.example.org/assets/*', 'cdn.example.org/site/*']);
  // Every field is spelt out (Chromium reads missing ones from the worker's URL), the last rule takes everything.
  const last = r[r.length - 1];
  assert.equal(last.source, 'network');
  assert.deepEqual(last.condition.urlPattern, { protocol: '*', hostname: '*', port: '*', pathname: '*', search: '*', hash: '*' });
});

test('routes: many assets route the whole origin to the worker (browsers cap the rules)', () => {
  const cfg = parseManifest({ edges: ['https://cdn.example.org'], assets: Array.from({ length: 100 }, (_, i) => `/a/${i}.png`) }, page);
  const taken = routes(cfg, 'https://www.example.org').filter((x) => x.source === 'fetch-event');
  assert.deepEqual(taken.map((x) => x.condition.urlPattern!.pathname), ['/*', '/*']);
});

test('deadline: a fixed timeout, or 3 × latency + 250 within 400–4000, another edge standing in, 1200 before any is known', () => {
  assert.equal(deadline(800, 10, []), 800);
  assert.equal(deadline('auto', 100, []), 550);
  assert.equal(deadline('auto', 10, []), 400);
  assert.equal(deadline('auto', 5000, []), 4000);
  assert.equal(deadline('auto', null, [null, 200]), 850);
  assert.equal(deadline('auto', null, [null]), 1200);
});

test('planRequest: the loader\'s rules for a request the page makes', () => {
  const cfg = parseManifest(
    { edges: [{ id: 'a', url: 'https://a.example.org' }, { id: 'b', url: 'https://b.example.org/site' }], assets: ['/assets/', { path: '/raw/', mode: 'off' }], serviceWorker: '/cdn-loader-sw.js' },
    page,
  );
  const down = new Set<string>();
  const health = { isUp: (id: string) => !down.has(id), latency: () => null };
  const ids = (p: ReturnType<typeof planRequest>) => p && p.list.map((s) => s.id);
  const plan = (url: string, mode: RequestMode = 'no-cors') => planRequest(cfg, health, newSelection(), url, mode, 'https://www.example.org');
  // Plain markup on the origin: the first healthy edge, one retry, the origin; the query stays with the path.
  assert.deepEqual(ids(plan('https://www.example.org/assets/x.js?v=1')), ['a', 'b', 'origin']);
  assert.equal(plan('https://www.example.org/assets/x.js?v=1')!.path, '/assets/x.js?v=1');
  // A URL that names a healthy edge starts there (the loader chose it); a down one is chosen around.
  assert.deepEqual(ids(plan('https://b.example.org/site/assets/x.js')), ['b', 'a', 'origin']);
  down.add('b');
  assert.deepEqual(ids(plan('https://b.example.org/site/assets/x.js')), ['a', 'origin']);
  // Not registered, another host, mode off on the origin itself: left alone.
  assert.equal(plan('https://www.example.org/api/x'), undefined);
  assert.equal(plan('https://other.example.org/assets/x.js'), undefined);
  assert.equal(plan('https://www.example.org/raw/x.png'), undefined);
  // Mode off for a URL on an edge: back to the origin. A same-origin request: the origin only.
  assert.deepEqual(ids(plan('https://a.example.org/raw/x.png')), ['origin']);
  assert.equal(plan('https://www.example.org/assets/x.js', 'same-origin'), undefined);
  // Every edge down: the origin alone, so the request goes out as written.
  down.add('a');
  assert.equal(plan('https://www.example.org/assets/x.js'), undefined);
});
