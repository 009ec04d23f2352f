// The `cdn-loader` command: `manifest` on a real folder, `check` with the browser's own messages, and the
// bin script as npx runs it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main, SCHEMA_URL, type Io } from '../cli/main.js';
import { pageFor } from '../cli/check.js';
import { findRule, parseManifest, ManifestError } from '../src/manifest/manifest.js';
import { version } from '../package.json';

const tmp = mkdtempSync(join(tmpdir(), 'cdn-loader-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI in-process; returns its exit code and what it printed. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runWith('', args);
}
async function runWith(stdin: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), stdin: () => stdin };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A folder of static files: pages, assets in folders, a folder that mixes both, a dotfile. */
function site(name: string): string {
  const dir = join(tmp, name);
  const files: Record<string, string> = {
    'index.html': '<!doctype html>',
    'favicon.ico': 'ico',
    'cdn-probe.gif': 'GIF89a',
    'images/a.png': 'png a',
    'images/icons/b.svg': '<svg/>',
    'images/.DS_Store': 'junk',
    'js/app.js': 'console.log("app");\n',
    'js/vendor/lib.mjs': 'export const x = 1;\n',
    'css/site.css': 'body{margin:0}\n',
    'blog/index.html': '<!doctype html>',
    'blog/photo one.jpg': 'jpg',
    'blog/post.css': 'p{}',
    '.well-known/security.txt': 'x',
  };
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), body);
  }
  return dir;
}

const hash = (body: string) => 'sha384-' + createHash('sha384').update(body).digest('base64');
const ORIGIN = 'https://www.example.org';
const EU = 'https://cdn-eu.example.org';
const US = 'https://cdn-us.example.org/site';

test('manifest: folders of assets become prefixes, pages stay out, scripts and stylesheets get integrity', async () => {
  const dir = site('prefix');
  const r = await run('manifest', dir, '--edge', EU, '--edge', `us=${US}`, '--origin', ORIGIN);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.match(r.out, /^wrote .*cdn-manifest\.json: 8 files in 9 asset entries \(4 with integrity\); mode always, origin https:\/\/www\.example\.org, 2 edges \(cdn-eu\.example\.org, us\)/);
  const m = JSON.parse(readFileSync(join(dir, 'cdn-manifest.json'), 'utf8'));
  assert.deepEqual(m, {
    $schema: SCHEMA_URL,
    origin: ORIGIN,
    edges: [EU, { id: 'us', url: US }],
    assets: [
      '/css/',
      '/images/',
      '/js/',
      '/blog/photo%20one.jpg',
      '/favicon.ico',
      { path: '/blog/post.css', integrity: hash('p{}') },
      { path: '/css/site.css', integrity: hash('body{margin:0}\n') },
      { path: '/js/app.js', integrity: hash('console.log("app");\n') },
      { path: '/js/vendor/lib.mjs', integrity: hash('export const x = 1;\n') },
    ],
  });
  assert.equal(SCHEMA_URL, `https://unpkg.com/cdn-loader@${version}/schema/cdn-manifest.schema.json`);
  // What the loader makes of it.
  const c = parseManifest(m, ORIGIN + '/');
  for (const p of ['/images/a.png', '/images/icons/b.svg', '/favicon.ico', '/blog/photo%20one.jpg', '/css/site.css'])
    assert.ok(findRule(c, p), `${p} is registered`);
  for (const p of ['/index.html', '/blog/index.html', '/blog/other.jpg', '/cdn-manifest.json', '/.well-known/security.txt', '/cdn-probe.gif'])
    assert.equal(findRule(c, p), undefined, `${p} is not registered`);
  assert.equal(findRule(c, '/js/app.js')?.integrity, hash('console.log("app");\n'));

  // Without a probe file, a note says the edges need one.
  rmSync(join(dir, 'cdn-probe.gif'));
  const again = await run('manifest', dir, '--edge', EU);
  assert.equal(again.code, 0);
  assert.match(again.err, /^cdn-loader: note: .*cdn-probe\.gif is missing; every edge must answer \/cdn-probe\.gif/);
});

test('manifest --exact lists every file; --out - prints it; a second run replaces the first', async () => {
  const dir = site('exact');
  const r = await run('manifest', dir, '--edge', EU, '--exact', '--out', '-', '--mode', 'round-robin');
  assert.equal(r.code, 0, r.err);
  assert.equal(existsSync(join(dir, 'cdn-manifest.json')), false);
  const m = JSON.parse(r.out);
  assert.equal(m.mode, 'round-robin');
  assert.equal(m.origin, undefined);
  assert.deepEqual(
    m.assets.filter((a: unknown) => typeof a === 'string'),
    ['/blog/photo%20one.jpg', '/favicon.ico', '/images/a.png', '/images/icons/b.svg'],
  );
  assert.match(r.err, /^cdn-loader: 8 files in 8 asset entries \(4 with integrity\)/);

  assert.equal((await run('manifest', dir, '--edge', EU)).code, 0);
  assert.equal((await run('manifest', dir, '--edge', US)).code, 0);
  const again = JSON.parse(readFileSync(join(dir, 'cdn-manifest.json'), 'utf8'));
  assert.deepEqual(again.edges, [US]);
  // The manifest it wrote is not an asset of the next one, printed or written.
  assert.ok(!JSON.stringify(again.assets).includes('cdn-manifest'));
  assert.ok(!(await run('manifest', dir, '--edge', EU, '--exact', '--out', '-')).out.includes('/cdn-manifest.json'));
});

test('manifest: a link back up the tree is listed once', async () => {
  const dir = site('loop');
  symlinkSync(dir, join(dir, 'images', 'up'));
  const r = await run('manifest', dir, '--edge', EU, '--out', '-');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /skipped .*images\/up: a link to a folder already listed/);
  assert.ok(JSON.parse(r.out).assets.includes('/images/a.png'));
});

test('manifest: a file whose path the loader would refuse is left out with a warning', async () => {
  const dir = site('odd');
  writeFileSync(join(dir, 'images', "it's.png"), 'x');
  writeFileSync(join(dir, 'css', "it's.css"), 'x');
  writeFileSync(join(dir, 'blog', 'a*b.js'), 'x');
  writeFileSync(join(dir, 'blog', "it's.jpg"), 'x');
  const r = await run('manifest', dir, '--edge', EU, '--out', '-');
  assert.equal(r.code, 0, r.err);
  const warnings = r.err.split('\n').filter((l) => !l.startsWith('cdn-loader: 1')).sort();
  assert.equal(warnings.length, 3, r.err);
  // Under a folder that is registered as a whole, only the integrity is lost.
  assert.match(warnings[0], /^cdn-loader: .*it's\.css is registered by its folder, but without integrity: its path contains "'", which a manifest path cannot hold$/);
  // blog/ holds a page, so its files are listed one by one, and this one cannot be.
  assert.match(warnings[1], /^cdn-loader: skipped .*a\*b\.js: its path contains "\*"/);
  // The reason is the character, not the shape of the path.
  assert.match(warnings[2], /^cdn-loader: skipped .*blog\/it's\.jpg: its path contains "'", which a manifest path cannot hold$/);
  const m = JSON.parse(r.out);
  assert.ok(m.assets.includes('/images/'));
  assert.ok(!JSON.stringify(m.assets).includes("it's"));
  assert.ok(findRule(parseManifest(m, 'https://localhost/'), "/images/it's.png"));
});

test('manifest refuses what the browser would refuse, with the browser\'s message, and writes nothing', async () => {
  const dir = site('bad');
  let r = await run('manifest', dir, '--edge', 'ftp://x');
  assert.equal(r.code, 1);
  assert.equal(r.err, 'cdn-loader: manifest.edges[0]: "ftp://x" is not an http(s) URL');
  assert.equal(existsSync(join(dir, 'cdn-manifest.json')), false);

  r = await run('manifest', dir, '--edge', 'http://cdn.example.org', '--origin', ORIGIN);
  assert.equal(r.code, 1);
  const [message, hint] = r.err.split('\n');
  assert.equal(message, messageOf({ edges: ['http://cdn.example.org'] }, ORIGIN + '/'));
  assert.match(hint, /checked for a page on https:\/\/www\.example\.org\/; --page URL/);
  // The same edges for an http: page are fine.
  r = await run('manifest', dir, '--edge', 'http://cdn.example.org', '--page', 'http://www.example.org/', '--out', '-');
  assert.equal(r.code, 0, r.err);

  r = await run('manifest', dir, '--edge', EU, '--mode', 'fast');
  assert.equal(r.code, 1);
  assert.equal(r.err, 'cdn-loader: manifest.mode: "fast" is not one of "always", "round-robin", "off"');
});

test('manifest with a bad --edge says so first and alone, before any scan warning', async () => {
  const dir = site('bad-edge');
  // A folder whose scan warns (a file it skips, no probe file).
  writeFileSync(join(dir, 'blog', 'a*b.js'), 'x');
  rmSync(join(dir, 'cdn-probe.gif'));
  const r = await run('manifest', dir, '--edge', 'ftp://x');
  assert.equal(r.code, 1);
  assert.equal(r.err, 'cdn-loader: manifest.edges[0]: "ftp://x" is not an http(s) URL');
  assert.equal(existsSync(join(dir, 'cdn-manifest.json')), false);
  // With good edges the same folder's warnings are shown.
  const ok = await run('manifest', dir, '--edge', EU, '--out', '-');
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.err, /skipped .*a\*b\.js/);
  assert.match(ok.err, /cdn-probe\.gif is missing/);
});

test('usage errors exit with 2 and print the usage', async () => {
  for (const args of [[], ['manifest'], ['manifest', tmp], ['frob'], ['check'], ['check', 'a.json', '--edge', EU], ['manifest', tmp, '--edge'], ['check', 'a', 'b'], ['--nope']]) {
    const r = await run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.out + r.err, /Usage:/, args.join(' '));
  }
  // However npx hands the flag over: `npx cdn-loader --version`, `… -- --version`, `… version`.
  for (const args of [['--version'], ['-v'], ['--', '--version'], ['version']]) assert.deepEqual(await run(...args), { code: 0, out: version, err: '' }, args.join(' '));
  assert.match((await run('help')).out, /^Usage:/);
  assert.equal((await run('--', 'check')).code, 2);
  assert.equal((await run('--help')).code, 0);
});

/** The message the browser's loader logs for manifest `m` on `page`. */
function messageOf(m: unknown, page: string): string {
  try {
    parseManifest(m, page);
  } catch (e) {
    if (e instanceof ManifestError) return e.message;
  }
  assert.fail(`${JSON.stringify(m)} was accepted`);
}

test('check: exit 0 and a summary for a valid manifest; exit 1 and the browser\'s message otherwise', async () => {
  const file = join(tmp, 'm.json');
  const good = { origin: ORIGIN, edges: [EU, { id: 'us', url: US, weight: 2 }], assets: ['/images/', { path: '/js/app.js', integrity: hash('x') }] };
  writeFileSync(file, JSON.stringify(good));
  let r = await run('check', file);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${file}: valid for a page on https://www.example.org/: mode always, origin https://www.example.org, 2 edges (cdn-eu.example.org, us), 2 asset rules`);

  const bad: unknown[] = [
    [],
    { edges: ['https://ok.example.org', { url: 'ftp://x' }] },
    { edges: [{ url: 'javascript:alert(1)' }] },
    { mode: 'fast' },
    { assets: '/images/' },
    { assets: [{ path: '/js/', integrity: hash('x') }] },
    { assets: ['images/'] },
    { probe: { timeout: 10 } },
    { failover: { retries: 1.5 } },
    { edges: [EU, EU + '/x'] },
    { origin: 'https://www.example.org', edges: ['http://cdn.example.org'] },
    { edges: ['http://cdn.example.org'] },
  ];
  for (const m of bad) {
    writeFileSync(file, JSON.stringify(m));
    r = await run('check', file);
    assert.equal(r.code, 1, JSON.stringify(m));
    assert.equal(r.err.split('\n')[0], messageOf(m, pageFor(m)), JSON.stringify(m));
  }

  // Malformed JSON: where, and what was found there; never the file's text.
  for (const [text, where, what] of [
    ['{"edges": [}', '1:12', 'expected a value, found "}"'],
    ['{\n  "edges": ["https://a.example.org"],\n  "assets": [\'/images/\']\n}', '3:14', 'expected a value, found "\'"'],
    ['{\n  "mode": "always",\n}', '3:1', 'expected a property name in double quotes, found "}"'],
    ['{"edges": []', '1:13', 'expected "," or "}", found the end of the file'],
    ['{"debug": true} x', '1:17', 'unexpected "x" after the manifest'],
    ['{"mode": "al\nways"}', '1:13', 'a line break inside a string'],
    ['', '1:1', 'expected a value, found the end of the file'],
  ]) {
    writeFileSync(file, text);
    r = await run('check', file);
    assert.equal(r.code, 1, text);
    assert.equal(r.err, `cdn-loader: ${file}:${where}: not valid JSON: ${what}`, text);
  }
  // A byte order mark is not an error: browsers drop it from a fetched manifest too.
  writeFileSync(file, '\uFEFF' + JSON.stringify(good));
  assert.equal((await run('check', file)).code, 0);

  r = await run('check', join(tmp, 'missing.json'));
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read .*missing\.json \(ENOENT\)/);
});

test('check: a manifest that would do nothing warns, and fails with --strict', async () => {
  const file = join(tmp, 'empty.json');
  writeFileSync(file, '{}');
  let r = await run('check', file);
  assert.equal(r.code, 0);
  assert.match(r.out, /valid for a page on https:\/\/localhost\/: mode always, origin https:\/\/localhost, 0 edges \(none\), 0 asset rules/);
  assert.equal(
    r.err,
    [
      `cdn-loader: warning: ${file} has no edges: every resource loads from the origin`,
      `cdn-loader: warning: ${file} registers no assets: the loader handles no resource`,
    ].join('\n'),
  );
  r = await run('check', file, '--strict');
  assert.equal(r.code, 1);
  assert.match(r.err, /has no edges[^]*registers no assets[^]*\n {2}\(--strict: a warning fails the check\)$/);

  writeFileSync(file, JSON.stringify({ edges: [EU] }));
  r = await run('check', file, '--strict');
  assert.equal(r.code, 1);
  assert.equal(r.err.split('\n')[0], `cdn-loader: warning: ${file} registers no assets: the loader handles no resource`);
  writeFileSync(file, JSON.stringify({ edges: [EU], assets: ['/images/'] }));
  r = await run('check', file, '--strict');
  assert.deepEqual([r.code, r.err], [0, '']);
  // --strict belongs to check.
  assert.equal((await run('manifest', tmp, '--edge', EU, '--strict')).code, 2);
});

test('check: --page decides mixed content; "-" reads standard input', async () => {
  const m = JSON.stringify({ edges: ['http://cdn.example.org'] });
  let r = await runWith(m, ['check', '-']);
  assert.equal(r.code, 1);
  assert.match(r.err, /is http: on an https: page[^\n]*\n {2}\(checked for a page on https:\/\/localhost\/; --page URL/);
  r = await runWith(m, ['check', '-', '--page', 'http://www.example.org/shop/']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^-: valid for a page on http:\/\/www\.example\.org\/shop\/: /);
  r = await runWith(m, ['check', '-', '--page', 'not a url']);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'cdn-loader: --page "not a url" is not a URL');
});

test('the bin script runs the built CLI (dist/cli.mjs) with exit codes, as npx would', () => {
  const file = join(tmp, 'bin.json');
  writeFileSync(file, JSON.stringify({ edges: ['ftp://x'] }));
  const r = spawnSync(process.execPath, ['bin/cdn-loader.mjs', 'check', file], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, 'cdn-loader: manifest.edges[0]: "ftp://x" is not an http(s) URL\n');
  assert.equal(execFileSync(process.execPath, ['bin/cdn-loader.mjs', '--version'], { encoding: 'utf8' }), version + '\n');
  assert.match(readFileSync('bin/cdn-loader.mjs', 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

test('npx cdn-loader --version, as a user types it, prints the CLI\'s version', () => {
  // In the package's own folder npx runs its bin, as it does in a project that installed the package.
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  for (const args of [['--version'], ['--', '--version'], ['version']]) {
    const r = spawnSync(npx, ['--no-install', 'cdn-loader', ...args], { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.stdout, version + '\n', `npx cdn-loader ${args.join(' ')}: ${r.stderr}`);
  }
});
