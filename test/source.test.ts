// Getting the manifest: inline, by URL (cached for the next page), and the page's overrides.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { loadManifest, readTag, withQuery } from '../src/lib/source.js';
import { safeStore } from '../src/lib/store.js';

const server = setupServer(
  http.get('https://www.example.org/cdn-manifest.json', () => HttpResponse.json({ mode: 'round-robin' })),
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
function memory() {
  const m = new Map<string, string>();
  return safeStore(() => ({ getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) }));
}

test('inline JSON, and a clear error when it does not parse', async () => {
  assert.deepEqual(await loadManifest('{"mode":"off"}', page, memory(), undefined).fresh, { ok: true, value: { mode: 'off' } });
  const bad = await loadManifest('{mode:off}', page, memory(), undefined).fresh;
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error : '', /^cdn-loader: data-manifest \(inline JSON\) is not valid JSON/);
});

test('a URL is fetched relative to the page and cached for the next page', async () => {
  const store = memory();
  const first = loadManifest('/cdn-manifest.json', page, store, undefined);
  assert.equal(first.cached, undefined);
  assert.deepEqual(await first.fresh, { ok: true, value: { mode: 'round-robin' } });
  const next = loadManifest('/cdn-manifest.json', page, store, undefined);
  assert.deepEqual(next.cached, { ok: true, value: { mode: 'round-robin' } });
  await next.fresh;
});

test('404, HTML and network errors give messages that say what happened', async () => {
  const msg = async (url: string) => {
    const r = await loadManifest(url, page, memory(), undefined).fresh;
    return r.ok ? '' : r.error;
  };
  assert.equal(await msg('/missing.json'), 'cdn-loader: manifest https://www.example.org/missing.json: HTTP 404');
  assert.match(await msg('/html.json'), /^cdn-loader: manifest https:\/\/www\.example\.org\/html\.json is not valid JSON/);
  assert.match(await msg('/down.json'), /^cdn-loader: manifest https:\/\/www\.example\.org\/down\.json could not be fetched/);
  assert.equal(await msg('javascript:alert(1)'), 'cdn-loader: data-manifest: "javascript:alert(1)" is not an http(s) URL');
});

test('tag attributes and page query overrides', () => {
  const tag = (attrs: Record<string, string>) => ({ getAttribute: (n: string) => attrs[n] ?? null }) as unknown as Element;
  assert.deepEqual(readTag(tag({ 'data-manifest': '/m.json', 'data-mode': 'off', 'data-debug': '' }), page), {
    manifest: '/m.json',
    mode: 'off',
    debug: true,
    manifestTimeout: undefined,
    nonce: undefined,
  });
  assert.equal(readTag(tag({ 'data-debug': 'false' }), page).debug, false);
  assert.equal(readTag(tag({}), page).debug, undefined);
  assert.equal(readTag(tag({ 'data-manifest-timeout': '300' }), page).manifestTimeout, 300);
  assert.deepEqual(withQuery({ manifest: null, mode: 'off', debug: false }, page + '?cdn=always&cdn-debug=1'), { manifest: null, mode: 'always', debug: true });
  assert.equal(withQuery({ mode: 'off' }, page + '?cdn=on').mode, 'off');
  assert.equal(withQuery({ mode: 'off' }, page + '?cdn=').mode, 'off');
  assert.equal(readTag(null, page).manifest, undefined);
});

test('a body cut off half-way is a failure with a message, never a rejection', async () => {
  const r = await loadManifest('/cut.json', page, memory(), undefined).fresh;
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error : '', /^cdn-loader: manifest https:\/\/www\.example\.org\/cut\.json could not be fetched/);
});

test('#id: read at once when the element is already parsed; otherwise after DOMContentLoaded', async () => {
  const listeners: (() => void)[] = [];
  let el: { textContent: string } | null = { textContent: '{"mode":"off"}' };
  const doc = {
    readyState: 'loading',
    getElementById: (id: string) => (id === 'm' ? el : null),
    addEventListener: (_: string, fn: () => void) => listeners.push(fn),
  } as unknown as Document;
  assert.deepEqual(await loadManifest('#m', page, memory(), doc).fresh, { ok: true, value: { mode: 'off' } });
  assert.equal(listeners.length, 0);
  el = null;
  const later = loadManifest('#m', page, memory(), doc).fresh;
  assert.equal(listeners.length, 1);
  el = { textContent: '{"mode":"always"}' };
  listeners[0]();
  assert.deepEqual(await later, { ok: true, value: { mode: 'always' } });
});
