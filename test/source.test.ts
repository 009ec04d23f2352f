// Getting the manifest: inline, by URL (cached for the next page), and the page's overrides.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { loadManifest, readTag, withQuery, type Loaded } from '../src/manifest/source.js';
import { safeStore } from '../src/lib/store.js';

const server = setupServer(
  http.get('https://www.example.org/cdn-manifest.json', () => HttpResponse.json({ mode: 'round-robin' })),
  http.get('https://www.example.org/gone.json', () => new HttpResponse('', { status: 410 })),
  http.get('https://www.example.org/invalid.json', () => HttpResponse.json({ mode: 'fast' })),
  http.get('https://www.example.org/missing.json', () => new HttpResponse('<h1>404</h1>', { status: 404 })),
  http.get('https://www.example.org/html.json', () => new HttpResponse('<!doctype html>', { headers: { 'Content-Type': 'text/html' } })),
  http.get('https://www.example.org/down.json', () => HttpResponse.error()),
  // The body breaks off half-way.
  http.get('https://www.example.org/cut.json', () => {
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"mode":'));
        c.error(new Error('connection reset'));
      },
    });
    return new HttpResponse(body, { headers: { 'Content-Type': 'application/json' } });
  }),
);
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const page = 'https://www.example.org/shop/page.html';
function memory(m = new Map<string, string>()) {
  return safeStore(() => ({ getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) }));
}

/** The mode of a loaded manifest, or its error. */
const modeOf = (r: Loaded) => (typeof r == 'string' ? r : r.mode);

test('inline JSON, and a clear error when it does not parse', async () => {
  assert.equal(modeOf(await loadManifest('{"mode":"off"}', page, memory(), undefined).fresh), 'off');
  const bad = await loadManifest('{mode:off}', page, memory(), undefined).fresh;
  assert.equal(typeof bad, 'string');
  assert.match(typeof bad == 'string' ? bad : '', /^cdn-loader: data-manifest \(inline JSON\) is not valid JSON/);
});

test('a URL is fetched relative to the page and cached for the next page', async () => {
  const store = memory();
  const first = loadManifest('/cdn-manifest.json', page, store, undefined);
  assert.equal(first.cached, undefined);
  assert.equal(modeOf(await first.fresh), 'round-robin');
  const next = loadManifest('/cdn-manifest.json', page, store, undefined);
  assert.equal(next.cached?.mode, 'round-robin');
  await next.fresh;
});

test('one entry for every manifest URL: another URL (a new ?v=) evicts the older copy', async () => {
  const m = new Map<string, string>();
  await loadManifest('/cdn-manifest.json?v=1', page, memory(m), undefined).fresh;
  await loadManifest('/cdn-manifest.json?v=2', page, memory(m), undefined).fresh;
  assert.deepEqual([...m.keys()], ['cdn-loader:manifest']);
  assert.equal(loadManifest('/cdn-manifest.json?v=1', page, memory(m), undefined).cached, undefined);
  assert.equal(loadManifest('/cdn-manifest.json?v=2', page, memory(m), undefined).cached?.mode, 'round-robin');
});

test('withdrawn (410): the copy is dropped; a manifest that is not valid is never cached', async () => {
  const m = new Map<string, string>();
  m.set('cdn-loader:manifest', JSON.stringify(['https://www.example.org/gone.json', JSON.stringify({ mode: 'round-robin' }), 0]));
  const r = loadManifest('/gone.json', page, memory(m), undefined);
  assert.equal(r.cached?.mode, 'round-robin');
  assert.equal(modeOf(await r.fresh), 'cdn-loader: manifest https://www.example.org/gone.json: HTTP 410');
  assert.equal(m.size, 0);
  assert.match(modeOf(await loadManifest('/invalid.json', page, memory(m), undefined).fresh), /^cdn-loader: manifest\.mode: "fast"/);
  assert.equal(m.size, 0);
});

test('unreadable answers: the copy stays, for maxStale ms after the first one; a write the quota refuses removes the entry', async () => {
  const m = new Map<string, string>();
  const day = 864e5;
  // 404 withdraws: use an answer that is merely unreadable (HTML) at the same URL instead.
  m.set('cdn-loader:manifest', JSON.stringify(['https://www.example.org/html.json', JSON.stringify({ mode: 'off' }), 0]));
  await loadManifest('/html.json', page, memory(m), undefined).fresh;
  const since = JSON.parse(m.get('cdn-loader:manifest')!)[2];
  assert.ok(since > 0);
  await loadManifest('/html.json', page, memory(m), undefined).fresh;
  assert.equal(JSON.parse(m.get('cdn-loader:manifest')!)[2], since, 'the first failure counts, not the latest');
  m.set('cdn-loader:manifest', JSON.stringify(['https://www.example.org/html.json', JSON.stringify({ mode: 'off' }), Date.now() - day + 60e3]));
  assert.equal(loadManifest('/html.json', page, memory(m), undefined).cached?.mode, 'off');
  m.set('cdn-loader:manifest', JSON.stringify(['https://www.example.org/html.json', JSON.stringify({ mode: 'off' }), Date.now() - day]));
  assert.equal(loadManifest('/html.json', page, memory(m), undefined).cached, undefined);
  m.set('cdn-loader:manifest', JSON.stringify(['https://www.example.org/html.json', JSON.stringify({ mode: 'off', maxStale: 2 * day }), Date.now() - day]));
  assert.equal(loadManifest('/html.json', page, memory(m), undefined).cached?.mode, 'off');
  const full = new Map<string, string>([['cdn-loader:manifest', JSON.stringify(['https://www.example.org/old.json', JSON.stringify({}), 0])]]);
  const refusing = safeStore(() => ({
    getItem: (k) => full.get(k) ?? null,
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
    removeItem: (k) => void full.delete(k),
  }));
  assert.equal(modeOf(await loadManifest('/cdn-manifest.json', page, refusing, undefined).fresh), 'round-robin');
  assert.equal(full.size, 0);
});

test('404, HTML and network errors give messages that say what happened', async () => {
  const msg = async (url: string) => {
    const r = await loadManifest(url, page, memory(), undefined).fresh;
    return typeof r == 'string' ? r : '';
  };
  assert.equal(await msg('/missing.json'), 'cdn-loader: manifest https://www.example.org/missing.json: HTTP 404');
  assert.match(await msg('/html.json'), /^cdn-loader: manifest https:\/\/www\.example\.org\/html\.json is not valid JSON/);
  assert.match(await msg('/down.json'), /^cdn-loader: manifest https:\/\/www\.example\.org\/down\.json could not be fetched/);
  assert.equal(await msg('javascript:alert(1)'), 'cdn-loader: data-manifest: "javascript:alert(1)" is not an http(s) URL');
});

test('tag attributes and page query overrides', () => {
  const tag = (attrs: Record<string, string>) => ({ getAttribute: (n: string) => attrs[n] ?? null }) as unknown as Element;
  assert.deepEqual(readTag(tag({ 'data-manifest': '/m.json', 'data-mode': 'off', 'data-debug': '' })), {
    manifest: '/m.json',
    mode: 'off',
    debug: true,
    manifestTimeout: undefined,
    nonce: undefined,
  });
  assert.equal(readTag(tag({ 'data-debug': 'false' })).debug, false);
  assert.equal(readTag(tag({})).debug, undefined);
  assert.equal(readTag(tag({ 'data-manifest-timeout': '300' })).manifestTimeout, 300);
  assert.deepEqual(withQuery({ manifest: null, mode: 'off', debug: false }, page + '?cdn=always&cdn-debug=1'), { manifest: null, mode: 'always', debug: true });
  assert.equal(withQuery({ mode: 'off' }, page + '?cdn=on').mode, 'off');
  assert.equal(withQuery({ mode: 'off' }, page + '?cdn=').mode, 'off');
  assert.equal(readTag(null).manifest, undefined);
});

test('a body cut off half-way is a failure with a message, never a rejection', async () => {
  const r = await loadManifest('/cut.json', page, memory(), undefined).fresh;
  assert.equal(typeof r, 'string');
  assert.match(typeof r == 'string' ? r : '', /^cdn-loader: manifest https:\/\/www\.example\.org\/cut\.json could not be fetched/);
});

test('#id: read at once when the element is already parsed; otherwise after DOMContentLoaded', async () => {
  const listeners: (() => void)[] = [];
  let el: { textContent: string } | null = { textContent: '{"mode":"off"}' };
  const doc = {
    readyState: 'loading',
    getElementById: (id: string) => (id === 'm' ? el : null),
    addEventListener: (_: string, fn: () => void) => listeners.push(fn),
  } as unknown as Document;
  assert.equal(modeOf(await loadManifest('#m', page, memory(), doc).fresh), 'off');
  assert.equal(listeners.length, 0);
  el = null;
  const later = loadManifest('#m', page, memory(), doc).fresh;
  assert.equal(listeners.length, 1);
  el = { textContent: '{"mode":"always"}' };
  listeners[0]();
  assert.equal(modeOf(await later), 'always');
});
