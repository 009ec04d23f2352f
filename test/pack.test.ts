// The npm package as a user receives it: `npm pack` holds exactly the built files, the schema, the CLI,
// the recipes and the docs; every entry point of package.json resolves inside it; and it works alone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import pkg from '../package.json' with { type: 'json' };

const tmp = mkdtempSync(join(tmpdir(), 'cdn-loader-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const packed = JSON.parse(
  execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
)[0] as { filename: string; files: { path: string }[] };
const files = packed.files.map((f) => f.path).sort();

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)])).map((f) => f.split('\\').join('/'));

test('the package holds exactly the build, the schema, the CLI, the recipes and the docs', () => {
  const expected = [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'bin/cdn-loader.mjs',
    ...walk('dist'),
    ...walk('schema'),
    ...walk('recipes'),
  ].sort();
  assert.deepEqual(files, expected);
  for (const f of ['dist/cdn-loader.js', 'dist/cdn-loader.mjs', 'dist/cdn-loader.d.ts', 'dist/cli.mjs', 'dist/cdn-loader.js.map', 'schema/cdn-manifest.schema.json'])
    assert.ok(files.includes(f), f);
  for (const f of files) assert.doesNotMatch(f, /^(src|cli|test|e2e|bench|demo|scripts|docs|node_modules)\//, f);
});

test('package.json: entry points, bin, license, keywords, engines, side effects', () => {
  const targets = [pkg.main, pkg.module, pkg.types, pkg.unpkg, pkg.jsdelivr, ...Object.values(pkg.bin)];
  const exp = pkg.exports as Record<string, string | Record<string, string>>;
  for (const v of Object.values(exp)) targets.push(...(typeof v === 'string' ? [v] : Object.values(v)));
  for (const t of targets.filter((t) => !t.includes('*'))) assert.ok(files.includes(posix.normalize(t)), `${t} is in the package`);
  assert.equal(pkg.unpkg, './dist/cdn-loader.js');
  assert.equal(pkg.jsdelivr, './dist/cdn-loader.js');
  // TypeScript reads the first matching condition: types must come first.
  assert.deepEqual(Object.keys(exp['.']), ['types', 'default']);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License/);
  assert.ok(pkg.keywords.length >= 5);
  assert.match(pkg.engines.node, /^>=\d+/);
  // Importing the ES module does nothing until init(); the IIFE starts itself.
  assert.deepEqual(pkg.sideEffects, ['./dist/cdn-loader.js']);
  assert.match(readFileSync(pkg.bin['cdn-loader'], 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

test('every declaration file imports only declaration files of the package', () => {
  for (const f of files.filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
      const target = posix.join(posix.dirname(f), (m[1] ?? m[2]).replace(/\.js$/, '.d.ts'));
      assert.ok(files.includes(target), `${f} imports ${m[1] ?? m[2]}, which is not in the package`);
    }
  }
});

test('installed alone, it resolves, imports in Node without a DOM, and its CLI runs', () => {
  // node_modules/cdn-loader as npm would lay it out, with nothing else: no src/, no devDependencies.
  const app = join(tmp, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  execFileSync('tar', ['xzf', join(tmp, packed.filename), '-C', join(app, 'node_modules')]);
  renameSync(join(app, 'node_modules', 'package'), join(app, 'node_modules', 'cdn-loader'));
  writeFileSync(
    join(app, 'probe.mjs'),
    `const schema = await import('cdn-loader/schema.json', { with: { type: 'json' } });
const api = await import('cdn-loader');
console.log(JSON.stringify({
  main: import.meta.resolve('cdn-loader'),
  iife: import.meta.resolve('cdn-loader/dist/cdn-loader.js'),
  schema: import.meta.resolve('cdn-loader/schema.json'),
  title: schema.default.title,
  exports: Object.keys(api).sort(),
}));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, ['probe.mjs'], { cwd: app, encoding: 'utf8' }));
  const base = 'file://' + join(app, 'node_modules', 'cdn-loader').split('\\').join('/') + '/';
  assert.equal(out.main, base + 'dist/cdn-loader.mjs');
  assert.equal(out.iife, base + 'dist/cdn-loader.js');
  assert.equal(out.schema, base + 'schema/cdn-manifest.schema.json');
  assert.equal(out.title, 'cdn-loader manifest');
  for (const name of ['init', 'on', 'setMode', 'getMode', 'edges', 'resolve', 'load', 'probe', 'report']) assert.ok(out.exports.includes(name), name);

  // The CLI of the package: its bundle carries the validator and needs only Node's own modules.
  const cli = readFileSync(join(app, 'node_modules/cdn-loader/dist/cli.mjs'), 'utf8');
  for (const m of cli.matchAll(/^import .* from "([^"]+)";$/gm)) assert.match(m[1], /^node:/);
  mkdirSync(join(app, 'public/js'), { recursive: true });
  writeFileSync(join(app, 'public/js/app.js'), 'void 0;\n');
  const bin = join(app, 'node_modules/cdn-loader/bin/cdn-loader.mjs');
  const made = spawnSync(process.execPath, [bin, 'manifest', 'public', '--edge', 'https://cdn.example.org'], { cwd: app, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const checked = spawnSync(process.execPath, [bin, 'check', 'public/cdn-manifest.json'], { cwd: app, encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stderr);
  assert.match(checked.stdout, /valid for a page on https:\/\/localhost\/: mode always, origin https:\/\/localhost, 1 edge/);
});

test('the edge page shows recipes/nginx.conf as it is tested; the changelog names this version', () => {
  assert.ok(readFileSync('docs/edges.md', 'utf8').includes('```nginx\n' + readFileSync('recipes/nginx.conf', 'utf8') + '```\n'), 'docs/edges.md quotes recipes/nginx.conf verbatim');
  assert.match(readFileSync('CHANGELOG.md', 'utf8'), new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}\\b`, 'm'));
});
