// The Vite plugin in Node: the build output it writes (manifest, integrity, per-page inline manifests, the
// loader and the probe), that `cdn-loader rewrite` finds nothing left to do in it, clear errors when it is
// misconfigured, and a dev server that never sees it.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, build } from 'vite';
import cdnLoader from 'cdn-loader/vite';
import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import { APP, buildApp, type Built } from '../e2e/viteApp.js';
import { sri } from '../cli/scan.js';
import { bootScript } from '../cli/pageTags.js';
import { bootFile } from '../cli/returning.js';
import { check } from '../cli/check.js';
import { main, type Io } from '../cli/main.js';
import { findRule, parseManifest } from '../src/manifest/manifest.js';

const EDGES = ['https://cdn-eu.example.org', { id: 'us', url: 'https://cdn-us.example.org/site' }];
const ORIGIN = 'https://www.example.org';
let b: Built;
before(async () => {
  b = await buildApp({ edges: EDGES, origin: ORIGIN });
});
after(() => b?.remove());

const read = (f: string) => readFileSync(join(b.dir, f));
const elements = (n: T.ParentNode): T.Element[] => n.childNodes.flatMap((c) => ('tagName' in c ? [c, ...elements(c)] : []));
const attrs = (el: T.Element) => Object.fromEntries(el.attrs.map((a) => [a.name, a.value]));

test('the manifest registers the build output, with the integrity of every script and stylesheet as written', () => {
  const text = read('cdn-manifest.json').toString();
  const r = check(text, 'cdn-manifest.json');
  assert.ok(r.ok, JSON.stringify(r));
  const m = JSON.parse(text);
  assert.equal(m.origin, ORIGIN);
  assert.deepEqual(m.edges, EDGES);
  assert.equal(m.assets[0], '/assets/');
  const cfg = parseManifest(m, ORIGIN + '/');
  const scripts = b.files.filter((f) => /\.(js|css)$/.test(f) && !f.includes('cdn-loader-'));
  assert.ok(scripts.length >= 6, scripts.join());
  for (const f of scripts) assert.equal(findRule(cfg, f)?.integrity, sri(read(f)), f);
  for (const f of b.files.filter((f) => f.endsWith('.png'))) assert.ok(findRule(cfg, f), f);
  // The runtime is the same file the package ships, named by its content; the probe is a GIF at the root.
  const loader = b.files.find((f) => f.includes('cdn-loader-'))!;
  assert.match(loader, /^\/assets\/cdn-loader-runtime-[0-9a-f]{8}\.js$/);
  assert.deepEqual(read(loader), readFileSync('dist/cdn-loader-runtime.js'));
  assert.equal(read('cdn-probe.gif').subarray(0, 6).toString(), 'GIF89a');
});

const text = (el: T.Element) => el.childNodes.map((c) => ('value' in c ? c.value : '')).join('');

test('each page: its own manifest and the inline boot first in <head>, the async runtime last in <body>; registered URLs as data-cdn-*; nothing left plain', () => {
  // The boot goes inline as built: nothing in it can close its <script> early.
  assert.doesNotMatch(readFileSync('dist/cdn-loader-boot.js', 'utf8'), /<\/script|<!--/i);
  for (const page of ['index.html', 'about/index.html']) {
    const doc = parse(read(page).toString());
    const all = elements(doc);
    const head = all.find((e) => e.tagName === 'head')!;
    const [json, boot] = elements(head).filter((e) => !(e.tagName === 'meta' && 'charset' in attrs(e)));
    const body = all.find((e) => e.tagName === 'body')!;
    const runtime = body.childNodes.filter((c): c is T.Element => 'tagName' in c).at(-1)!;
    assert.deepEqual(attrs(json), { type: 'application/json', id: 'cdn-manifest' }, page);
    assert.deepEqual(attrs(boot), { 'data-manifest': '#cdn-manifest' }, page);
    assert.equal(text(boot), readFileSync('dist/cdn-loader-boot.js', 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '').trim());
    assert.deepEqual(attrs(runtime), { async: '', src: b.files.find((f) => f.includes('cdn-loader-')), 'data-manifest': '#cdn-manifest' }, page);
    const first = runtime;
    const own = JSON.parse(text(json));
    const cfg = parseManifest(own, ORIGIN + '/');
    // Its integrity entries are exactly the scripts and stylesheets this page loads.
    const loads = all.filter((e) => (e.tagName === 'script' && attrs(e)['data-cdn-src']) || (e.tagName === 'link' && attrs(e).rel === 'stylesheet')).map((e) => attrs(e)['data-cdn-src'] ?? attrs(e)['data-cdn-href']);
    assert.deepEqual(own.assets.filter((a: { integrity?: string }) => a.integrity).map((a: { path: string }) => a.path).sort(), loads.sort());
    // The other scripts and stylesheets of the build, under the assets prefix, come from the origin only on this page.
    for (const a of own.assets) if (typeof a === 'object' && !a.integrity) assert.deepEqual(a, { path: a.path, mode: 'off' }, page);
    for (const p of loads) assert.equal(findRule(cfg, p)?.integrity, sri(read(p)));
    // No element still fetches a build file by itself.
    for (const e of all) for (const [k, v] of Object.entries(attrs(e))) if (['src', 'href', 'srcset'].includes(k) && e !== first) assert.doesNotMatch(v, /^\/assets\//, `${page}: <${e.tagName} ${k}="${v}">`);
  }
});

test('`cdn-loader rewrite` on the output finds nothing left to do: one rewrite, shared', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), stdin: () => '' };
  const loader = b.files.find((f) => f.includes('cdn-loader-'))!;
  const code = await main(['rewrite', b.dir, '--dry-run', '--runtime', loader], io);
  assert.equal(code, 0, err.join('\n'));
  assert.deepEqual(out, []);
  assert.equal(err.join(), 'would rewrite 0 pages (0 attributes, 0 loader tags); 2 unchanged; 0 refused');
});

test('misconfigured: a clear error before anything is built', async () => {
  const fails = async (options: object, vite: object, why: RegExp) =>
    assert.rejects(build({ root: APP, configFile: false, logLevel: 'silent', build: { write: false }, plugins: [cdnLoader(options as never)], ...vite }), why);
  await fails({}, {}, /^Error: cdn-loader\/vite: give at least one edge: cdnLoader\(\{ edges: \["https:\/\/cdn-eu\.example\.org"\] \}\)/);
  await fails({ edges: ['ftp://x'] }, {}, /cdn-loader\/vite: manifest\.edges\[0\]: "ftp:\/\/x" is not an http\(s\) URL/);
  await fails({ edges: ['http://cdn.example.org'], origin: ORIGIN }, {}, /cdn-loader\/vite: manifest\.edges\[0\]: .*mixed content/);
  await fails({ edges: EDGES }, { base: 'https://static.example.org/' }, /cdn-loader\/vite: base "https:\/\/static\.example\.org\/" is a URL/);
  await fails({ edges: EDGES }, { base: './' }, /cdn-loader\/vite: base "\.\/" is relative: give the path the site is served under/);
  // One loader per page: the inline boot needs the manifest inline.
  await fails({ edges: EDGES, manifest: 'link', boot: true }, {}, /cdn-loader\/vite: boot: true needs the manifest inline: manifest: "link" gives pages the one loader tag; leave out one of them/);
  // Plain URLs are watched by the runtime only, not by the one tag.
  await fails({ edges: EDGES, plainUrls: true, boot: false }, {}, /cdn-loader\/vite: plainUrls: true and boot: false: the one loader tag does not watch plain URLs/);
  await fails({ edges: EDGES, plainUrls: true, manifest: 'link' }, {}, /cdn-loader\/vite: plainUrls: true and manifest: "link": the one loader tag does not watch plain URLs/);
});

test('the dev server never sees the plugin: the same HTML with and without it', async () => {
  const serve = async (plugins: ReturnType<typeof cdnLoader>[]) => {
    const s = await createServer({ root: APP, configFile: false, logLevel: 'silent', plugins, server: { host: '127.0.0.1', port: 0 } });
    await s.listen();
    try {
      const url = s.resolvedUrls!.local[0];
      const html = await (await fetch(url)).text();
      const names = s.config.plugins.map((p) => p.name);
      return { html, names, renderBuiltUrl: s.config.experimental.renderBuiltUrl };
    } finally {
      await s.close();
    }
  };
  const plain = await serve([]);
  // Misconfigured, even: dev does not care.
  const withIt = await serve([cdnLoader({ edges: EDGES }), cdnLoader({} as never)]);
  assert.equal(withIt.html, plain.html);
  assert.match(withIt.html, /<script type="module" src="\/src\/main\.js"><\/script>/);
  assert.doesNotMatch(withIt.html, /data-cdn-|cdn-loader/);
  assert.ok(!withIt.names.includes('cdn-loader'));
  assert.equal(withIt.renderBuiltUrl, undefined);
  assert.ok(existsSync(join(APP, 'index.html')));
});

test('base "/app/": the manifest, the probe, the tag and the pages all live under it', async () => {
  const sub = await buildApp({ edges: EDGES, origin: ORIGIN }, { base: '/app/' });
  try {
    const m = JSON.parse(readFileSync(join(sub.dir, 'cdn-manifest.json'), 'utf8'));
    assert.equal(m.assets[0], '/app/assets/');
    assert.deepEqual(m.probe, { path: '/app/cdn-probe.gif' });
    const html = readFileSync(join(sub.dir, 'index.html'), 'utf8');
    assert.match(html, /<script async src="\/app\/assets\/cdn-loader-runtime-[0-9a-f]{8}\.js" data-manifest="#cdn-manifest"><\/script>/);
    assert.match(html, /<script type="module" crossorigin data-cdn-src="\/app\/assets\/main-[\w-]+\.js">/);
    assert.match(html, /<img id="hero" data-cdn-src="\/app\/assets\/hero-[\w-]+\.png"/);
  } finally {
    sub.remove();
  }
});

test('boot: false: the one loader tag, with the manifest in it', async () => {
  const one = await buildApp({ edges: EDGES, origin: ORIGIN, boot: false });
  try {
    const html = readFileSync(join(one.dir, 'index.html'), 'utf8');
    assert.match(html, /<script src="\/assets\/cdn-loader-[0-9a-f]{8}\.js" data-manifest='\{/);
    assert.doesNotMatch(html, /cdn-loader-runtime|id="cdn-manifest"/);
    assert.deepEqual(readFileSync(join(one.dir, one.files.find((f) => f.includes('cdn-loader-'))!)), readFileSync('dist/cdn-loader.js'));
  } finally {
    one.remove();
  }
});

test("Vite's html.cspNonce: the boot and the runtime carry the page's nonce, as Vite's own scripts do", async () => {
  const csp = await buildApp({ edges: EDGES, origin: ORIGIN }, { html: { cspNonce: 'NONCE' } });
  try {
    const html = readFileSync(join(csp.dir, 'index.html'), 'utf8');
    assert.match(html, /<script type="module" crossorigin data-cdn-src="[^"]+" nonce="NONCE">/);
    assert.ok(html.includes(`<script nonce="NONCE" data-manifest="#cdn-manifest">${bootScript()}</script>`), html.slice(0, 300));
    assert.match(html, /<script async nonce="NONCE" src="\/assets\/cdn-loader-runtime-[0-9a-f]{8}\.js" data-manifest="#cdn-manifest"><\/script><\/body>/);
  } finally {
    csp.remove();
  }
});

test('serviceWorker: the worker is emitted beside the pages and named in the manifest, so the loader registers it', async () => {
  const sw = await buildApp({ edges: EDGES, origin: ORIGIN, serviceWorker: true });
  try {
    const m = JSON.parse(readFileSync(join(sw.dir, 'cdn-manifest.json'), 'utf8'));
    assert.equal(m.serviceWorker, '/cdn-loader-sw.js');
    assert.equal(parseManifest(m, ORIGIN + '/').worker, '/cdn-loader-sw.js');
    assert.deepEqual(readFileSync(join(sw.dir, 'cdn-loader-sw.js')), readFileSync('dist/cdn-loader-sw.js'));
    // The worker is not an asset of the site: the manifest does not register it.
    assert.equal(findRule(parseManifest(m, ORIGIN + '/'), '/cdn-loader-sw.js'), undefined);
  } finally {
    sw.remove();
  }
});

test('a server build and a build without pages are left alone', async () => {
  const dir = join(b.dir, 'server-build');
  await build({ root: APP, configFile: false, logLevel: 'silent', build: { ssr: join(APP, 'src/shared.js'), outDir: dir }, plugins: [cdnLoader({ edges: EDGES })] });
  assert.ok(!existsSync(join(dir, 'cdn-manifest.json')));
  const warnings: string[] = [];
  const lib = join(b.dir, 'lib-build');
  await build({
    root: APP,
    configFile: false,
    logLevel: 'silent',
    build: { lib: { entry: join(APP, 'src/shared.js'), formats: ['es'], fileName: 'shared' }, outDir: lib, rollupOptions: { onwarn: (w) => void warnings.push(w.message) } },
    plugins: [cdnLoader({ edges: EDGES })],
  });
  assert.ok(!existsSync(join(lib, 'cdn-manifest.json')));
  assert.ok(!existsSync(join(lib, 'cdn-probe.gif')));
  assert.match(warnings.join('\n'), /cdn-loader\/vite: this build has no pages/);
});

test('plainUrls: images and stylesheets keep plain URLs at the first edge (stylesheets with their integrity), scripts stay data-cdn-*', async () => {
  const plain = await buildApp({ edges: EDGES, origin: ORIGIN, plainUrls: true });
  try {
    const html = readFileSync(join(plain.dir, 'index.html'), 'utf8');
    const m = JSON.parse(readFileSync(join(plain.dir, 'cdn-manifest.json'), 'utf8'));
    const cfg = parseManifest(m, ORIGIN + '/');
    const css = /<link rel="stylesheet" crossorigin href="https:\/\/cdn-eu\.example\.org(\/assets\/main-[\w-]+\.css)" integrity="([^"]+)">/.exec(html)!;
    assert.ok(css, html);
    assert.equal(css[2], findRule(cfg, css[1])!.integrity);
    assert.match(html, new RegExp(`<img id="hero" src="${EDGES[0]}/assets/hero-[\\w-]+\\.png"`));
    assert.match(html, new RegExp(`<source srcset="${EDGES[0]}/assets/large-[\\w-]+\\.png"`));
    assert.match(html, /<script type="module" crossorigin data-cdn-src="\/assets\/main-[\w-]+\.js">/);
    // No data-cdn-* image or stylesheet left: the boot's tag says so (it leaves a returning visit's parser unobserved).
    assert.match(html, /<script data-manifest="#cdn-manifest" data-plain>/);
    assert.match(html, /<script async src="\/assets\/cdn-loader-runtime-[0-9a-f]{8}\.js" data-manifest="#cdn-manifest"><\/script>\s*<\/body>/);
  } finally {
    plain.remove();
  }
});

test('returning: the boot beside the pages and named on each; a twin of each page in cdn-returning/<hash>/ loads it by URL; the one tag stops the build', async () => {
  const built = await buildApp({ edges: EDGES, origin: ORIGIN, plainUrls: true, returning: true });
  try {
    const { name, hash, body } = bootFile();
    assert.equal(readFileSync(join(built.dir, name), 'utf8'), body);
    const html = readFileSync(join(built.dir, 'index.html'), 'utf8');
    const inline = `<script data-manifest="#cdn-manifest" data-plain data-boot-src="/${name}">${bootScript()}</script>`;
    assert.ok(html.includes(inline), html);
    assert.equal(readFileSync(join(built.dir, 'cdn-returning', hash, 'index.html'), 'utf8'), html.replace(inline, `<script src="/${name}" data-manifest="#cdn-manifest" data-plain></script>`));
    // Not assets of the manifest.
    assert.doesNotMatch(readFileSync(join(built.dir, 'cdn-manifest.json'), 'utf8'), /cdn-loader-boot|cdn-returning/);
  } finally {
    built.remove();
  }
  await assert.rejects(
    build({ root: APP, configFile: false, logLevel: 'silent', build: { write: false }, plugins: [cdnLoader({ edges: EDGES, returning: true, boot: false } as never)] }),
    /cdn-loader\/vite: returning: true and boot: false: returning pages load the inline boot from a file/,
  );
});
