// The HTML rewrite shared by `cdn-loader rewrite` and the Vite plugin, and the `rewrite` command on a real
// folder: only registered attributes of the loader's elements change, every other byte stays, a second run
// changes nothing, and HTML that cannot be read safely is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { diff, rewriteHtml, UnsafeHtml, type Edit } from '../cli/rewrite.js';
import { main, type Io } from '../cli/main.js';
import { allowsBoot, bootHash, bootScript, pageManifest } from '../cli/pageTags.js';
import { bootFile, returningPage } from '../cli/returning.js';
import { RETURNING_DIR } from '../cli/site.js';
import { findRule, parseManifest } from '../src/manifest/manifest.js';
import { version } from '../src/worker/workerPage.js';

const registered = (p: string) => /^\/(images|css|js|media|assets)\//.test(p);
const TAG = '<script src="/cdn-loader.js" data-manifest="/cdn-manifest.json"></script>';
const rw = (html: string, page = '/index.html') => rewriteHtml(html, { page, registered, tag: TAG, origins: ['https://www.example.org'] });

/** The original text with the edits taken out again: every byte not edited is unchanged. */
const undo = (out: string, edits: Edit[]) => {
  let shift = 0;
  const at = edits.map((e) => ((shift += e.insert.length), e.offset + shift - e.insert.length));
  let s = out;
  for (let i = edits.length - 1; i >= 0; i--) s = s.slice(0, at[i]) + s.slice(at[i] + edits[i].insert.length);
  return s;
};

test('registered resources of the loader\'s elements become data-cdn-*; everything else keeps its bytes', () => {
  const page = `<!DOCTYPE html>
<html lang=en><HEAD><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="/css/site.css"><link rel=stylesheet href="https://fonts.example.com/a.css">
<link rel="modulepreload" crossorigin href="/assets/vendor-1a2b.js"><link rel="icon" href="/images/favicon.png">
<link rel="preload" as="style" href="/css/late.css" onload="this.rel='stylesheet'">
<script type="module" crossorigin src="/assets/index-3c4d.js"></script>
<script>console.log("<img src=/images/x.png>")</script><script src="/vendor/unregistered.js"></script>
<script type="application/ld+json" src="/js/data.json"></script>
</head><body>
<img SRC='/images/a.png' alt="a"> <img src=/images/b.png srcset="/images/b@2x.png 2x, /images/b@3x.png 3x">
<img src="https://third.example.net/images/c.png"><img src="https://www.example.org/images/d.png"><img src="data:image/gif;base64,R0lGOD">
<img src="/other/e.png"><picture><source type="image/webp" srcset="/images/f.webp"><img src="/other/f.png" alt=""></picture>
<video poster="/images/p.jpg" controls><source src="/media/clip.mp4" type="video/mp4"></video><audio src="/sounds/unreg.wav"></audio>
<noscript><img src="/images/n.png"></noscript><template><img src="/images/t.png"></template>
<svg><image href="/images/s.png"/></svg><a href="/images/a.png">a</a><div style="background:url(/images/bg.png)"></div>
</body></html>
`;
  const r = rw(page);
  const want = page
    .replace('<meta charset="utf-8">', '<meta charset="utf-8">' + TAG)
    .replace('rel="stylesheet" href="/css/site.css"', 'rel="stylesheet" data-cdn-href="/css/site.css"')
    .replace('<link rel="modulepreload" crossorigin href="/assets/vendor', '<link data-cdn-rel="modulepreload" crossorigin data-cdn-href="/assets/vendor')
    .replace('crossorigin src="/assets/index', 'crossorigin data-cdn-src="/assets/index')
    .replace("<img SRC='/images/a.png'", "<img data-cdn-SRC='/images/a.png'")
    .replace('<img src=/images/b.png srcset=', '<img data-cdn-src=/images/b.png data-cdn-srcset=')
    .replace('<img src="https://www.example.org/images/d.png">', '<img data-cdn-src="https://www.example.org/images/d.png">')
    // An <img> in a <picture> moves as one with its sources, unregistered URLs and all (the loader keeps those as written).
    .replace('<source type="image/webp" srcset="/images/f.webp"><img src="/other/f.png"', '<source type="image/webp" data-cdn-srcset="/images/f.webp"><img data-cdn-src="/other/f.png"')
    .replace('<video poster=', '<video data-cdn-poster=')
    .replace('<source src="/media/clip.mp4"', '<source data-cdn-src="/media/clip.mp4"');
  assert.equal(r.html, want);
  assert.equal(r.tagged, true);
  assert.deepEqual(r.loaded, ['/css/site.css', '/assets/index-3c4d.js']);
  assert.equal(undo(r.html, r.edits), page);
  // A second run finds nothing left to do.
  const again = rw(r.html);
  assert.equal(again.html, r.html);
  assert.deepEqual(again.edits, []);
});

test('relative URLs resolve against the page and its <base>; a page with nothing registered is left alone', () => {
  assert.equal(rw('<img src="../../images/a.png">', '/blog/post/index.html').html, TAG + '<img data-cdn-src="../../images/a.png">');
  assert.equal(rw('<img src="a.png">', '/images/index.html').html, TAG + '<img data-cdn-src="a.png">');
  assert.equal(rw('<img src="a.png">', '/blog/index.html').html, '<img src="a.png">');
  assert.equal(rw('<head><base href="/images/"><img src="a.png">').html, `<head><base href="/images/">${TAG}<img data-cdn-src="a.png">`);
  assert.equal(rw('<base href="https://elsewhere.example/images/"><img src="a.png">').html, '<base href="https://elsewhere.example/images/"><img src="a.png">');
  const none = '<!doctype html><html><head></head><body><img src="/other/a.png"></body></html>';
  assert.equal(rw(none).html, none);
  // Without <head> in the source: after the doctype (the parser puts the tag in the implied <head>).
  assert.equal(rw('<!doctype html><img src="/images/a.png">').html, `<!doctype html>${TAG}<img data-cdn-src="/images/a.png">`);
  // A page that already has the loader's tag gets no second one; one with data-cdn-* already gets one.
  const has = `<head>${TAG.replace('/cdn-loader.js', '/x/loader.js')}</head><img src="/images/a.png">`;
  assert.equal(rw(has).html, has.replace('<img src', '<img data-cdn-src'));
  assert.equal(rw('<img data-cdn-src="/images/a.png">').html, TAG + '<img data-cdn-src="/images/a.png">');
  // Both forms on one element: written by hand, left to its author.
  assert.equal(rw(`${TAG}<img src="/images/a.png" data-cdn-src="/images/a.png">`).edits.length, 0);
});

test('a tag in two parts: the head part first in <head>, the end part just before </body>, else at the end of the document; a page with the loader in either place is done', () => {
  const both = { head: '<script data-manifest="#m">boot</script>', end: '<script async src="/r.js" data-manifest="#m"></script>' };
  const two = (html: string) => rewriteHtml(html, { page: '/index.html', registered, tag: () => both });
  const r = two('<!doctype html>\n<html><head><title>t</title></head><body>\n<img src="/images/a.png">\n</body>\n</html>\n');
  assert.equal(r.html, `<!doctype html>\n<html><head>${both.head}<title>t</title></head><body>\n<img data-cdn-src="/images/a.png">\n${both.end}</body>\n</html>\n`);
  assert.equal(r.tagged, true);
  // Without </body>: at the end of the document (the parser puts it in <body>), before the trailing newline.
  assert.equal(two('<img src="/images/a.png">\n').html, `${both.head}<img data-cdn-src="/images/a.png">${both.end}\n`);
  assert.equal(two('<html><body><img src="/images/a.png"></html>').html, `<html>${both.head}<body><img data-cdn-src="/images/a.png"></html>${both.end}`);
  // Done: its own output, and a page of the old shape (the runtime in <head>).
  assert.deepEqual(two(r.html).edits, []);
  const old = `<head>${both.head}${both.end}</head><body><img data-cdn-src="/images/a.png"><img src="/images/b.png"></body>`;
  assert.equal(two(old).html, old.replace('<img src', '<img data-cdn-src'));
  assert.equal(two(old).tagged, false);
});

test('HTML that cannot be rewritten safely is refused with where and why', () => {
  const cases: [string, RegExp][] = [
    ['<img src="/images/a.png" src="/images/b.png">', /^1:29: an element has the same attribute twice/],
    ['<p>\n<!-- <img src="/images/a.png">', /^2:31: a comment is never closed/],
    ['<?php echo $img ?><img src="/images/a.png">', /^1:2: it holds "<\?"/],
    ['<img src="/images/a.png"alt="x">', /two attributes run together/],
    ['<img src="/images/a.png', /the file ends inside a tag/],
    ['<script>document.write("x")', /a <script>, <style>, <title> or <textarea> is never closed/],
  ];
  for (const [html, why] of cases) assert.throws(() => rw(html), (e: Error) => e instanceof UnsafeHtml && why.test(e.message), html);
  // Errors the parser recovers from the same way in every browser are no reason to refuse.
  assert.equal(rw('<div><img src="/images/a.png"/></span>').html, TAG + '<div><img data-cdn-src="/images/a.png"/></span>');
});

test('diff: one hunk per run of changed lines; an insert with lines of its own counts on the new side', () => {
  const ed = (...e: [number, string][]) => e.map(([offset, insert]) => ({ offset, insert }));
  assert.equal(diff('p.html', 'a\nb\nc\nd', ed([2, 'x'], [4, 'y'])), '--- a/p.html\n+++ b/p.html\n@@ -2,2 +2,2 @@\n-b\n-c\n+xb\n+yc');
  assert.equal(diff('p.html', 'same', []), '');
  assert.equal(
    diff('p.html', 'a\nb\nc\nd', ed([2, '1\n2\n'], [6, 'z'])),
    '--- a/p.html\n+++ b/p.html\n@@ -2,1 +2,3 @@\n-b\n+1\n+2\n+b\n@@ -4,1 +6,1 @@\n-d\n+zd',
  );
});

const tmp = mkdtempSync(join(tmpdir(), 'cdn-loader-rewrite-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), stdin: () => '' };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function site(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(tmp, name);
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), body);
  }
  return dir;
}

/** What the rewrite puts first in <head> by default: the page's manifest and the inline boot. */
const split = (manifest: object, nonce = '') =>
  `<script type="application/json" id="cdn-manifest">${JSON.stringify(manifest)}</script><script${nonce} data-manifest="#cdn-manifest">${bootScript()}</script>`;
/** And at the end of <body>: the runtime async. */
const runtime = (nonce = '', src = '/cdn-loader-runtime.js') => `<script async${nonce} src="${src}" data-manifest="#cdn-manifest"></script>`;
const HASH_NOTE = `cdn-loader: note: under a Content-Security-Policy that blocks inline scripts, the inline boot needs ${bootHash()} in script-src (or a nonce on the page's scripts, which the boot's tag takes)`;

test('cdn-loader rewrite: after `manifest`, pages get the manifest and the inline boot first in <head>, the runtime async at the end of <body>, the runtime and probe beside them; twice changes nothing', async () => {
  const index = '<!doctype html>\n<html><head>\n<link rel="stylesheet" href="/css/site.css">\n</head><body>\n<img src="images/a.png" alt="a">\n<img src="https://cdn.elsewhere.net/x.png">\n</body></html>\n';
  const dir = site('plain', {
    'index.html': index,
    'blog/post.html': '<p>no assets here</p>\n',
    'css/site.css': 'body{}',
    'js/unused.js': '1',
    'images/a.png': 'png',
  });
  assert.equal((await run('manifest', dir, '--edge', 'https://cdn-eu.example.org')).code, 0);
  const full = JSON.parse(readFileSync(join(dir, 'cdn-manifest.json'), 'utf8'));
  assert.ok(full.$schema);
  // The page's own copy: the integrity of what it loads, not of /js/unused.js (which the /js/ folder still
  // registers: it stays, from the origin only); no $schema.
  const own = { ...full, assets: full.assets.map((a: string | { path: string }) => (typeof a === 'string' || a.path === '/css/site.css' ? a : { path: a.path, mode: 'off' })) };
  delete own.$schema;
  assert.deepEqual(own.assets.filter((a: string | { mode?: string }) => typeof a !== 'string' && a.mode), [{ path: '/js/unused.js', mode: 'off' }]);

  const dry = await run('rewrite', dir, '--dry-run');
  assert.equal(dry.code, 0, dry.err);
  const head = split(own).split('\n');
  assert.equal(
    dry.out,
    [
      '--- a/index.html',
      '+++ b/index.html',
      `@@ -2,2 +2,${head.length + 1} @@`,
      '-<html><head>',
      '-<link rel="stylesheet" href="/css/site.css">',
      ...['<html><head>' + head[0], ...head.slice(1)].map((l) => '+' + l),
      '+<link rel="stylesheet" data-cdn-href="/css/site.css">',
      `@@ -5,1 +${4 + head.length},1 @@`,
      '-<img src="images/a.png" alt="a">',
      '+<img data-cdn-src="images/a.png" alt="a">',
      `@@ -7,1 +${6 + head.length},1 @@`,
      '-</body></html>',
      `+${runtime()}</body></html>`,
    ].join('\n'),
  );
  assert.equal(dry.err, 'would rewrite 1 page (2 attributes, 1 loader tags); 1 unchanged; 0 refused; would write cdn-probe.gif, cdn-loader-runtime.js\n' + HASH_NOTE);
  assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), index);
  assert.equal(existsSync(join(dir, 'cdn-loader-runtime.js')), false);

  const r = await run('rewrite', dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'rewrote 1 page (2 attributes, 1 loader tags); 1 unchanged; 0 refused; wrote cdn-probe.gif, cdn-loader-runtime.js');
  assert.equal(r.err, HASH_NOTE);
  assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), index.replace('<html><head>', '<html><head>' + split(own)).replace(' href="/css', ' data-cdn-href="/css').replace(' src="images', ' data-cdn-src="images').replace('</body>', runtime() + '</body>'));
  assert.deepEqual(readFileSync(join(dir, 'cdn-loader-runtime.js')), readFileSync('dist/cdn-loader-runtime.js'));
  const again = await run('rewrite', dir);
  assert.equal(again.out, 'rewrote 0 pages (0 attributes, 0 loader tags); 2 unchanged; 0 refused');
  assert.equal(again.err, '');
  // The runtime is not an asset of the next manifest.
  assert.equal((await run('manifest', dir, '--edge', 'https://cdn-eu.example.org')).code, 0);
  assert.doesNotMatch(readFileSync(join(dir, 'cdn-manifest.json'), 'utf8'), /cdn-loader(-runtime)?\.js/);
});

test('cdn-loader rewrite --one-tag (or --manifest-url): the one loader tag, manifest by URL, as before', async () => {
  const index = '<!doctype html>\n<html><head>\n<link rel="stylesheet" href="/css/site.css">\n</head><body>\n<img src="images/a.png" alt="a">\n</body></html>\n';
  const files = { 'index.html': index, 'css/site.css': 'body{}', 'images/a.png': 'png' };
  for (const [name, args, url] of [
    ['one', ['--one-tag'], '/cdn-manifest.json'],
    ['oneurl', ['--manifest-url', '/m.json'], '/m.json'],
  ] as const) {
    const dir = site(name, files);
    assert.equal((await run('manifest', dir, '--edge', 'https://cdn-eu.example.org')).code, 0);
    const dry = await run('rewrite', dir, '--dry-run', ...args);
    assert.equal(
      dry.out,
      [
        '--- a/index.html',
        '+++ b/index.html',
        '@@ -2,2 +2,2 @@',
        '-<html><head>',
        '-<link rel="stylesheet" href="/css/site.css">',
        `+<html><head><link rel="preload" href="${url}" as="fetch" crossorigin><script src="/cdn-loader.js" data-manifest="${url}"></script>`,
        '+<link rel="stylesheet" data-cdn-href="/css/site.css">',
        '@@ -5,1 +5,1 @@',
        '-<img src="images/a.png" alt="a">',
        '+<img data-cdn-src="images/a.png" alt="a">',
      ].join('\n'),
    );
    const r = await run('rewrite', dir, ...args);
    assert.equal(r.out, 'rewrote 1 page (2 attributes, 1 loader tags); 0 unchanged; 0 refused; wrote cdn-probe.gif, cdn-loader.js');
    assert.equal(r.err, '');
    assert.deepEqual(readFileSync(join(dir, 'cdn-loader.js')), readFileSync('dist/cdn-loader.js'));
    assert.equal(existsSync(join(dir, 'cdn-loader-runtime.js')), false);
  }
});

test('cdn-loader rewrite and CSP: the page\'s nonce goes on the boot and the runtime (at the end of the document without </body>); a <meta> policy that blocks the boot gets the runtime as one tag and a note with the hash', async () => {
  const img = '<img src="/images/a.png">';
  const policy = (p: string) => `<head><meta http-equiv="Content-Security-Policy" content="${p}"></head>${img}`;
  const dir = site('csp', {
    'cdn-manifest.json': JSON.stringify({ edges: ['https://cdn-eu.example.org'], assets: ['/images/'] }),
    'nonce.html': `<head><script nonce="{{nonce}}" src="/other/app.js"></script></head>${img}`,
    'vite.html': `<head><meta property="csp-nonce" nonce="N0nce"></head>${img}`,
    'strict.html': policy("default-src 'self'"),
    'hashed.html': policy(`script-src 'self' ${bootHash()}`),
    'inline.html': policy("script-src 'self' 'unsafe-inline'"),
    'styles.html': policy("style-src 'self'"),
  });
  const m = { edges: ['https://cdn-eu.example.org'], assets: ['/images/'] };
  const r = await run('rewrite', dir);
  assert.equal(r.code, 0, r.err);
  const page = (f: string) => readFileSync(join(dir, f), 'utf8');
  assert.equal(page('nonce.html'), `<head>${split(m, ' nonce="{{nonce}}"')}<script nonce="{{nonce}}" src="/other/app.js"></script></head><img data-cdn-src="/images/a.png">${runtime(' nonce="{{nonce}}"')}`);
  assert.ok(page('vite.html').startsWith(`<head>${split(m, ' nonce="N0nce"')}<meta`), page('vite.html'));
  assert.ok(page('vite.html').endsWith(`<img data-cdn-src="/images/a.png">${runtime(' nonce="N0nce"')}`), page('vite.html'));
  for (const f of ['hashed.html', 'inline.html', 'styles.html']) assert.ok(page(f).includes(split(m)) && page(f).endsWith(runtime()), f);
  // Blocked: the manifest inline (a JSON script is not a script the policy governs) and the runtime as one tag, blocking.
  assert.equal(
    page('strict.html'),
    `<head><meta http-equiv="Content-Security-Policy" content="default-src 'self'"><script type="application/json" id="cdn-manifest">${JSON.stringify(m)}</script>` +
      `<script src="/cdn-loader-runtime.js" data-manifest="#cdn-manifest"></script></head><img data-cdn-src="/images/a.png">`,
  );
  assert.equal(
    r.err,
    `cdn-loader: note: strict.html: its Content-Security-Policy (<meta http-equiv>) blocks inline scripts, so it got the manifest inline and the runtime as one tag, without the inline boot; for the faster first visit add ${bootHash()} (the boot's hash) to its script-src, or give its scripts a nonce\n` +
      HASH_NOTE,
  );
});

test('allowsBoot: the script directive that applies, its hash, nonce and unsafe-inline as browsers read them', () => {
  const h = bootHash();
  const cases: [string, string | undefined, boolean][] = [
    ['', undefined, true],
    ["img-src 'self'", undefined, true],
    ["default-src 'self'", undefined, false],
    ["default-src 'self' 'unsafe-inline'", undefined, true],
    ["default-src 'unsafe-inline'; script-src 'self'", undefined, false],
    ["script-src 'self'; script-src 'unsafe-inline'", undefined, false],
    ["script-src 'unsafe-inline' 'nonce-abc'", undefined, false],
    ["script-src 'unsafe-inline' 'nonce-abc'", 'abc', true],
    ["script-src 'nonce-abc'", 'xyz', false],
    ["script-src 'UNSAFE-INLINE' 'strict-dynamic'", undefined, false],
    [`script-src ${h}`, undefined, true],
    [`script-src ${h.replace("'sha256-", "'sha256-x")}`, undefined, false],
    ["script-src 'unsafe-inline'; script-src-elem 'self'", undefined, false],
    ["SCRIPT-SRC 'unsafe-inline'", undefined, true],
  ];
  for (const [policy, nonce, ok] of cases) assert.equal(allowsBoot(policy, nonce), ok, `${policy} / ${nonce}`);
});

test('cdn-loader rewrite: a page it cannot read safely is refused (exit 1), the others are still rewritten', async () => {
  const dir = site('broken', {
    'cdn-manifest.json': JSON.stringify({ edges: ['https://cdn-eu.example.org'], assets: ['/images/'] }),
    'a.html': '<img src="/images/a.png">',
    'b.html': '<img src="/images/a.png" src="/images/b.png">',
    'c.html': Buffer.from([0x3c, 0x70, 0x3e, 0xe9, 0x3c, 0x2f, 0x70, 0x3e]),
  });
  const r = await run('rewrite', dir);
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    'cdn-loader: b.html:1:29: an element has the same attribute twice (renaming the first would let the second load); left as it is. Fix the HTML and run again\n' +
      'cdn-loader: c.html: not UTF-8; rewriting it would change its bytes. Convert it to UTF-8, or leave it out of the folder\n' +
      HASH_NOTE,
  );
  assert.match(readFileSync(join(dir, 'a.html'), 'utf8'), /data-cdn-src/);
  assert.equal(readFileSync(join(dir, 'b.html'), 'utf8'), '<img src="/images/a.png" src="/images/b.png">');
});

test('cdn-loader rewrite: without a manifest it says how to write one; a refused manifest is refused', async () => {
  const dir = site('nomanifest', { 'a.html': '<img src="/images/a.png">' });
  const r = await run('rewrite', dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read .*cdn-manifest\.json \(ENOENT\); write it first: cdn-loader manifest .* --edge URL/);
  writeFileSync(join(dir, 'cdn-manifest.json'), '{"edges":["ftp://x"]}');
  const bad = await run('rewrite', dir);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /manifest\.edges\[0\]: "ftp:\/\/x" is not an http\(s\) URL/);
  assert.equal((await run('rewrite', dir, '--edge', 'https://x.example')).code, 2);
});

test('cdn-loader rewrite: one loader per page whatever the options: --loader is the one tag, --runtime the boot\'s partner; contradictions are refused', async () => {
  const index = '<head></head><img src="/images/a.png">';
  const m = { edges: ['https://cdn-eu.example.org'], assets: ['/images/'] };
  const files = { 'index.html': index, 'cdn-manifest.json': JSON.stringify(m) };
  /** The loaders a page starts: the inline boot (with its runtime), and every one-tag loader. */
  const loaders = (html: string) => (html.includes(bootScript()) ? ['boot'] : []).concat(html.match(/<script[^>]* src="[^"]*cdn-loader\.js"/g) ?? []);

  // --loader names the one-tag loader: the page gets it alone (before, the inline boot too, then this loader async).
  let dir = site('loaderurl', files);
  let r = await run('rewrite', dir, '--loader', '/vendor/cdn-loader.js');
  assert.equal(r.code, 0, r.err);
  const page = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.deepEqual(loaders(page), ['<script src="/vendor/cdn-loader.js"']);
  assert.equal(page, `<head><link rel="preload" href="/cdn-manifest.json" as="fetch" crossorigin><script src="/vendor/cdn-loader.js" data-manifest="/cdn-manifest.json"></script></head><img data-cdn-src="/images/a.png">`);
  assert.equal(existsSync(join(dir, 'cdn-loader.js')) || existsSync(join(dir, 'cdn-loader-runtime.js')), false);

  // --runtime names the runtime: the inline boot and that runtime.
  dir = site('runtimeurl', files);
  r = await run('rewrite', dir, '--runtime', 'https://static.example.org/cdn-loader-runtime.js');
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), `<head>${split(m)}</head><img data-cdn-src="/images/a.png">${runtime('', 'https://static.example.org/cdn-loader-runtime.js')}`);
  assert.equal(existsSync(join(dir, 'cdn-loader-runtime.js')), false);

  // Options that ask for both, or a runtime URL that is the one-tag loader: refused, nothing written.
  dir = site('both', files);
  for (const [args, why] of [
    [['--runtime', '/r.js', '--one-tag'], /--runtime .* --one-tag/],
    [['--runtime', '/r.js', '--loader', '/l.js'], /--runtime .* --loader/],
    [['--runtime', '/r.js', '--manifest-url', '/m.json'], /--runtime .* --manifest-url/],
    [['--runtime', '/js/cdn-loader.js'], /cdn-loader\.js is the one-tag loader.*two loaders/],
    [['--runtime', 'https://unpkg.com/cdn-loader@1/dist/cdn-loader.min.js?x'], /two loaders/],
  ] as const) {
    r = await run('rewrite', dir, ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err.split('\n')[0], why);
    assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), index);
  }
});

test('pageManifest: a page leaves out the integrity of what it does not load, but no path then goes to an edge without its integrity or loses its mode', () => {
  const A = 'sha384-' + 'a'.repeat(64);
  const B = 'sha384-' + 'b'.repeat(64);
  const site = {
    edges: ['https://cdn-eu.example.org'],
    assets: ['/js/', { path: '/js/a.js', integrity: A }, { path: '/js/b.js', integrity: B, mode: 'round-robin' as const }, { path: '/css/c.css', integrity: A }, { path: '/img/hero.jpg', mode: 'off' as const, integrity: A }, '/img/'],
  };
  const page = pageManifest(site, ['/js/a.js']);
  const cfg = parseManifest(page, 'https://www.example.org/');
  const full = parseManifest(site, 'https://www.example.org/');
  // What the page loads keeps its entry whole.
  const rule = (c: typeof cfg, p: string) => ((r) => r && { path: r.path, mode: r.mode, integrity: r.integrity })(findRule(c, p));
  assert.deepEqual(rule(cfg, '/js/a.js'), rule(full, '/js/a.js'));
  // What it does not load: either unregistered (as written, from where it was written), or registered
  // to the origin only; never under a broader rule that sends it to an edge without its integrity.
  for (const p of ['/js/b.js', '/css/c.css', '/img/hero.jpg']) {
    const r = findRule(cfg, p);
    assert.ok(!r || r.integrity === findRule(full, p)!.integrity || r.mode === 'off', `${p}: ${JSON.stringify(r)}`);
  }
  // An entry with integrity that no other rule would register is simply left out.
  assert.equal(findRule(cfg, '/css/c.css'), undefined);
  // The page still carries less than the site's manifest.
  assert.ok(JSON.stringify(page).length < JSON.stringify(site).length - 100);
});

test('pageManifest: with a service worker every page carries the site\'s manifest, so the worker is one version per deploy, not per page', () => {
  const A = 'sha384-' + 'a'.repeat(64);
  const site = { $schema: 'x', edges: ['https://cdn-eu.example.org'], assets: ['/js/', { path: '/js/a.js', integrity: A }, { path: '/js/b.js', integrity: A }], serviceWorker: '/cdn-loader-sw.js' };
  const [one, two] = [pageManifest(site, ['/js/a.js']), pageManifest(site, ['/js/b.js'])];
  // The page registers the worker at `?v=` + the version of the manifest it carries (workerPage.ts).
  assert.equal(version(JSON.stringify(one)), version(JSON.stringify(two)));
  const { $schema, ...rest } = site;
  assert.deepEqual(one, rest);
});

test('cdn-loader rewrite: a relative --runtime, --loader or --manifest-url is refused: a page in a folder would look for it in that folder (its scripts would never run)', async () => {
  const page = '<head></head><script src="/js/app.js"></script>';
  const files = { 'index.html': page, 'blog/post.html': page, 'cdn-manifest.json': JSON.stringify({ edges: ['https://cdn-eu.example.org'], assets: ['/js/'] }) };
  const dir = site('relative', files);
  for (const args of [['--runtime', 'cdn-loader-runtime.js'], ['--runtime', './vendor/cdn-loader-runtime.js'], ['--runtime', ''], ['--loader', 'vendor/cdn-loader.js'], ['--manifest-url', 'cdn-manifest.json']]) {
    const r = await run('rewrite', dir, ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err.split('\n')[0], new RegExp(`--${args[0].slice(2)} .*is relative`), args.join(' '));
    assert.equal(readFileSync(join(dir, 'blog/post.html'), 'utf8'), page);
  }
  // From the site's root, protocol-relative or absolute: fine.
  for (const url of ['/vendor/cdn-loader-runtime.js', '//static.example.org/cdn-loader-runtime.js', 'https://static.example.org/cdn-loader-runtime.js?v=2'])
    assert.equal((await run('rewrite', site('absolute', files), '--runtime', url, '--dry-run')).code, 0, url);
});

test('cdn-loader rewrite --plain-urls: images and stylesheets of mode always keep a plain URL at the first edge (with their integrity), scripts and other modes stay data-cdn-*', async () => {
  const X = 'sha384-' + 'x'.repeat(64);
  const m = {
    edges: ['https://cdn-eu.example.org/site', 'https://cdn-us.example.org'],
    assets: ['/images/', { path: '/images/rr.png', mode: 'round-robin' as const }, { path: '/css/site.css', integrity: X }, { path: '/css/own.css', integrity: X }, '/js/'],
  };
  const index = [
    '<!doctype html>',
    '<html><head>',
    '<link rel="stylesheet" href="/css/site.css"><link rel="stylesheet" crossorigin="use-credentials" href="/css/own.css">',
    '<script src="/js/app.js"></script>',
    '</head><body>',
    '<img src="images/a.png?v=2" alt="a">',
    '<picture><source srcset="/images/b.webp 1x, /images/b@2x.webp 2x" type="image/webp"><img src="/images/b.png" alt="b"></picture>',
    '<img src="/images/rr.png">',
    '</body></html>',
    '',
  ].join('\n');
  const dir = site('plainurls', { 'index.html': index, 'cdn-manifest.json': JSON.stringify(m) });
  const E = 'https://cdn-eu.example.org/site';
  const want = index
    .replace('href="/css/site.css"', `href="${E}/css/site.css" integrity="${X}" crossorigin="anonymous"`)
    .replace('href="/css/own.css"', `href="${E}/css/own.css" integrity="${X}"`)
    .replace('<script src', '<script data-cdn-src')
    .replace('src="images/a.png?v=2"', `src="${E}/images/a.png?v=2"`)
    .replace('srcset="/images/b.webp 1x, /images/b@2x.webp 2x"', `srcset="${E}/images/b.webp 1x, ${E}/images/b@2x.webp 2x"`)
    .replace('src="/images/b.png"', `src="${E}/images/b.png"`)
    .replace('<img src="/images/rr.png">', '<img data-cdn-src="/images/rr.png">')
    .replace('<html><head>', '<html><head>' + split(pageManifest(m, ['/css/site.css', '/css/own.css', '/js/app.js'])))
    .replace('</body>', runtime() + '</body>');
  const dry = await run('rewrite', dir, '--plain-urls', '--dry-run');
  assert.equal(dry.code, 0, dry.err);
  // Line for line: each changed line once, old then new.
  const lines = dry.out.split('\n');
  assert.ok(lines.includes('-<img src="images/a.png?v=2" alt="a">') && lines.includes(`+<img src="${E}/images/a.png?v=2" alt="a">`), dry.out);
  assert.ok(lines.includes(`+<img data-cdn-src="/images/rr.png">`), dry.out);
  assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), index);
  const r = await run('rewrite', dir, '--plain-urls');
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(join(dir, 'index.html'), 'utf8'), want);
  assert.match(r.out, /^rewrote 1 page \(7 attributes, 1 loader tags\)/);
  // Twice changes nothing.
  assert.match((await run('rewrite', dir, '--plain-urls')).out, /^rewrote 0 pages .* 1 unchanged/);

  // A manifest whose mode is not `always`: nothing plain.
  const rr = site('plainurls-rr', { 'index.html': index, 'cdn-manifest.json': JSON.stringify({ ...m, mode: 'round-robin' }) });
  assert.equal((await run('rewrite', rr, '--plain-urls')).code, 0);
  assert.ok(!/(src|href|srcset)="https:/.test(readFileSync(join(rr, 'index.html'), 'utf8')));

  // The one tag does not watch plain URLs: asked for together, a usage error; nothing written.
  for (const args of [['--one-tag'], ['--loader', '/l.js'], ['--manifest-url', '/m.json']]) {
    const bad = await run('rewrite', rr, '--plain-urls', ...args);
    assert.equal(bad.code, 2, args.join(' '));
    assert.match(bad.err.split('\n')[0], new RegExp(`--plain-urls .*${args[0]}`));
  }

  // A page that falls back to the one tag for its CSP keeps data-cdn-*, and the note says so.
  const csp = site('plainurls-csp', {
    'cdn-manifest.json': JSON.stringify(m),
    'strict.html': `<head><meta http-equiv="Content-Security-Policy" content="default-src 'self'"></head><img src="/images/a.png">`,
  });
  const c = await run('rewrite', csp, '--plain-urls');
  assert.equal(c.code, 0, c.err);
  assert.match(readFileSync(join(csp, 'strict.html'), 'utf8'), /<img data-cdn-src="\/images\/a\.png">$/);
  assert.match(c.err, /strict\.html: its Content-Security-Policy .* keeps data-cdn-\* .*--plain-urls/);
});

test('--plain-urls: a page whose images and stylesheets all became plain URLs gets data-plain on the boot\'s tag (the boot leaves its parser unobserved on a returning visit); one that keeps a data-cdn-* image (lazy, another mode, written by hand) does not', async () => {
  const m = { edges: ['https://cdn.example.org'], assets: ['/images/', '/css/', '/js/', { path: '/images/rr.png', mode: 'round-robin' as const }] };
  const page = (img: string) => `<!doctype html><html><head><link rel="stylesheet" href="/css/a.css"></head><body><img src="/images/a.png">${img}<script src="/js/app.js"></script></body></html>\n`;
  const pages = { 'all.html': page(''), 'lazy.html': page('<img loading="lazy" src="/images/b.png">'), 'rr.html': page('<img src="/images/rr.png">'), 'hand.html': page('<img data-cdn-src="/images/c.png">') };
  const mark = (dir: string, f: string) => {
    const t = /<script data-manifest="#cdn-manifest"( data-plain)?>/.exec(readFileSync(join(dir, f), 'utf8'));
    return t ? (t[1] ?? '') : 'no boot';
  };
  const dir = site('plain-mark', { 'cdn-manifest.json': JSON.stringify(m), ...pages });
  const r = await run('rewrite', dir, '--plain-urls');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(Object.keys(pages).map((f) => mark(dir, f)), [' data-plain', '', '', '']);
  assert.match(readFileSync(join(dir, 'all.html'), 'utf8'), /<img src="https:\/\/cdn\.example\.org\/images\/a\.png">.*<script data-cdn-src="\/js\/app\.js">/);
  // Without --plain-urls the images keep data-cdn-*: never.
  const off = site('plain-mark-off', { 'cdn-manifest.json': JSON.stringify(m), 'all.html': page('') });
  assert.equal((await run('rewrite', off)).code, 0);
  assert.equal(mark(off, 'all.html'), '');
});

test('a page marked data-plain that a second --plain-urls rewrite gives a data-cdn-* image or stylesheet (lazy, another mode) loses data-plain (the boot would leave them to the runtime on a returning visit)', async () => {
  const m = { edges: ['https://cdn.example.org'], assets: ['/images/', '/css/', '/js/', { path: '/css/rr.css', mode: 'round-robin' as const }] };
  const dir = site('plain-mark-twice', {
    'cdn-manifest.json': JSON.stringify(m),
    'a.html': '<!doctype html><html><head><link rel="stylesheet" href="/css/a.css"></head><body><img src="/images/a.png"><script src="/js/app.js"></script></body></html>\n',
  });
  assert.equal((await run('rewrite', dir, '--plain-urls')).code, 0);
  const once = readFileSync(join(dir, 'a.html'), 'utf8');
  assert.match(once, /<script data-manifest="#cdn-manifest" data-plain>/);
  // The page is edited after the rewrite (a lazy image, a stylesheet of another mode), and rewritten again.
  writeFileSync(join(dir, 'a.html'), once.replace('</body>', '<img loading="lazy" src="/images/b.png"><link rel="stylesheet" href="/css/rr.css"></body>'));
  assert.equal((await run('rewrite', dir, '--plain-urls')).code, 0);
  const twice = readFileSync(join(dir, 'a.html'), 'utf8');
  assert.match(twice, /<img loading="lazy" data-cdn-src="\/images\/b\.png"><link rel="stylesheet" data-cdn-href="\/css\/rr\.css">/);
  // (The boot's own text names the attribute: its tag is what matters.)
  assert.match(twice, /<script data-manifest="#cdn-manifest">"use strict"/);
  // A third time changes nothing.
  assert.match((await run('rewrite', dir, '--plain-urls')).out, /^rewrote 0 pages .* 1 unchanged/);
});

test('--plain-urls marks data-plain a page with no registered image or stylesheet at all (docs/static-sites.md: "a page left with no data-cdn-* image, <source> or stylesheet gets data-plain")', async () => {
  const m = { edges: ['https://cdn.example.org'], assets: ['/images/', '/css/', '/js/'] };
  const dir = site('plain-mark-none', {
    'cdn-manifest.json': JSON.stringify(m),
    'a.html': '<!doctype html><html><head></head><body><img src="/other/a.png"><script src="/js/app.js"></script></body></html>\n',
  });
  assert.equal((await run('rewrite', dir, '--plain-urls')).code, 0);
  assert.match(readFileSync(join(dir, 'a.html'), 'utf8'), /<script data-manifest="#cdn-manifest" data-plain>/);
});

test('--plain-urls: a plain stylesheet above a script that blocks the parser gets the runtime in <head> (at the end of <body> the parser would wait for the stylesheet, and a hanging edge would hold the page)', () => {
  const tags = { head: '<script data-manifest="#m">boot</script>', end: '<script async src="/r.js" data-manifest="#m"></script>' };
  const plain = () => (path: string) => ({ url: 'https://cdn.example.org' + path });
  const two = (html: string) => rewriteHtml(html, { page: '/index.html', registered, tag: () => tags, plain }).html;
  const sheet = '<link rel="stylesheet" href="/css/a.css">';
  const edge = '<link rel="stylesheet" href="https://cdn.example.org/css/a.css">';
  for (const script of ['<script>inline()</script>', '<script src="/other/x.js"></script>', '<script type="text/javascript" src="https://third.example/x.js"></script>'])
    assert.equal(two(`<head>${sheet}${script}</head><body></body>`), `<head>${tags.head}${tags.end}${edge}${script}</head><body></body>`, script);
  // Nothing that blocks the parser after it: the runtime at the end of <body>.
  for (const [before, after] of [
    ['', '<script async src="/other/x.js"></script><script defer src="/other/y.js"></script><script type="module">m()</script><script src="/js/app.js"></script><script> </script>'],
    ['<script>first()</script>', ''],
  ]) {
    const out = two(`<head>${before}${sheet}${after}</head><body></body>`);
    assert.ok(out.endsWith(`${tags.end}</body>`) && out.startsWith(`<head>${tags.head}${before}${edge}`), out);
  }
  // Images above a blocking script hold nothing; a script of another type blocks nothing.
  assert.ok(two('<body><img src="/images/a.png"><script>x()</script></body>').endsWith(`${tags.end}</body>`));
  assert.ok(two(`<head>${sheet}<script type="application/ld+json">{}</script></head><body></body>`).endsWith(`${tags.end}</body>`));
  // A lazy image is not fetched with the HTML: it keeps data-cdn-*.
  assert.ok(two('<img loading="lazy" src="/images/a.png"><img src="/images/b.png">').startsWith(`${tags.head}<img loading="lazy" data-cdn-src="/images/a.png"><img src="https://cdn.example.org/images/b.png">`));
});

test('cdn-loader rewrite --returning: the boot beside the pages, named by its content and on every inline boot; a twin of each page in cdn-returning/<hash>/ that loads it by URL; twice gives the same; a stale folder goes, and without --returning the folder goes', async () => {
  const m = { edges: ['https://cdn-eu.example.org'], assets: ['/images/'] };
  const index = '<!doctype html>\n<html><head><script nonce="n1">1</script></head><body>\n<img src="/images/a.png">\n</body></html>\n';
  const dir = site('returning', {
    'index.html': index,
    'blog/post.html': index,
    'my docs/100%.html': index,
    'about.html': '<p>no assets</p>\n',
    'cdn-manifest.json': JSON.stringify(m),
  });
  const { name, hash, body } = bootFile();
  assert.match(name, /^cdn-loader-boot\.[0-9a-f]{8}\.js$/);
  // The file is the inline boot's text: the boot's CSP hash fits it too.
  assert.equal(body, bootScript());
  mkdirSync(join(dir, RETURNING_DIR, 'deadbeef'), { recursive: true });
  writeFileSync(join(dir, RETURNING_DIR, 'deadbeef', 'index.html'), 'an older deploy');

  const dry = await run('rewrite', dir, '--returning', '--dry-run');
  assert.equal(dry.code, 0, dry.err);
  assert.ok(dry.err.includes(`would write cdn-probe.gif, cdn-loader-runtime.js, ${name}, the returning pages in ${RETURNING_DIR}/${hash}/ (${RETURNING_DIR}/ anew)`), dry.err);
  assert.equal(existsSync(join(dir, name)), false);
  assert.equal(existsSync(join(dir, RETURNING_DIR, 'deadbeef')), true);

  const r = await run('rewrite', dir, '--returning');
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.endsWith(`; wrote cdn-probe.gif, cdn-loader-runtime.js, ${name}, 3 returning pages in ${RETURNING_DIR}/${hash}/`), r.out);
  assert.equal(readFileSync(join(dir, name), 'utf8'), body);
  const page = readFileSync(join(dir, 'index.html'), 'utf8');
  const inline = `<script nonce="n1" data-manifest="#cdn-manifest" data-boot-src="/${name}">${bootScript()}</script>`;
  assert.ok(page.includes(inline), page);
  // The twin: the same bytes but for the boot, by URL, its other attributes kept; at the page's own file path.
  const twin = readFileSync(join(dir, RETURNING_DIR, hash, 'index.html'), 'utf8');
  assert.equal(twin, page.replace(inline, `<script src="/${name}" nonce="n1" data-manifest="#cdn-manifest"></script>`));
  assert.equal(readFileSync(join(dir, RETURNING_DIR, hash, 'blog', 'post.html'), 'utf8'), twin);
  assert.equal(readFileSync(join(dir, RETURNING_DIR, hash, 'my docs', '100%.html'), 'utf8'), twin);
  // A page without the boot has no twin; the older deploy's folder is gone.
  assert.equal(existsSync(join(dir, RETURNING_DIR, hash, 'about.html')), false);
  assert.equal(existsSync(join(dir, RETURNING_DIR, 'deadbeef')), false);
  // Only this release's boot naming this file has a twin.
  assert.equal(returningPage(index, `/${name}`), undefined);
  assert.equal(returningPage(page, '/another.js'), null);
  assert.equal(returningPage(page.replace(bootScript(), 'void 0'), `/${name}`), null);
  assert.equal(returningPage(page.replace(inline, `<template>${inline}</template>`), `/${name}`), undefined);

  // Twice: no page changes, the twins are not pages to rewrite, and are written again the same; the boot's file is as it was.
  const again = await run('rewrite', dir, '--returning');
  assert.equal(again.out, `rewrote 0 pages (0 attributes, 0 loader tags); 4 unchanged; 0 refused; wrote 3 returning pages in ${RETURNING_DIR}/${hash}/`);
  assert.equal(readFileSync(join(dir, RETURNING_DIR, hash, 'index.html'), 'utf8'), twin);

  // Neither is an asset of the next manifest.
  assert.equal((await run('manifest', dir, '--edge', 'https://cdn-eu.example.org', '--exact', '--out', join(dir, 'next.json'))).code, 0);
  assert.doesNotMatch(readFileSync(join(dir, 'next.json'), 'utf8'), /cdn-loader-boot|cdn-returning/);

  // A page whose boot names no file (rewritten before without --returning): no twin, and a note.
  const older = site('returning-older', { 'index.html': index, 'cdn-manifest.json': JSON.stringify(m) });
  assert.equal((await run('rewrite', older)).code, 0);
  const late = await run('rewrite', older, '--returning');
  assert.match(late.out, /wrote .*, 0 returning pages/);
  assert.match(late.err, /note: 1 page carries an inline boot of another release, or one written without --returning .* rewrite the build's fresh output/);

  // Without --returning, an earlier run's returning pages go.
  assert.match((await run('rewrite', dir, '--dry-run')).err, /note: would remove cdn-returning\/, the returning pages of an earlier --returning/);
  assert.equal(existsSync(join(dir, RETURNING_DIR)), true);
  const off = await run('rewrite', dir);
  assert.match(off.err, /note: removed cdn-returning\/, the returning pages of an earlier --returning/);
  assert.equal(existsSync(join(dir, RETURNING_DIR)), false);

  // The one tag has no boot to load by URL.
  const bad = await run('rewrite', dir, '--returning', '--one-tag');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--returning and --one-tag: returning pages load the inline boot from a file/);
});
