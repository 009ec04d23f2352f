// Builds dist/: the IIFE for a script tag, the ES module, the service worker, their source maps and the type declarations.
// `node scripts/build.mjs --check` builds into a temporary folder and fails if dist/ differs from it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const check = process.argv.includes('--check');
// A check builds in memory (so source map paths match) and declarations into a temporary folder.
const out = check ? mkdtempSync(join(tmpdir(), 'cdn-loader-dist-')) : 'dist';
if (!check) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const built = [];

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  target: 'es2020',
  // Internals are `_`-prefixed: renaming them is safe and saves bytes without hurting the source.
  mangleProps: /^_/,
  legalComments: 'none',
  logLevel: 'warning',
};
for (const [entry, file, format] of [
  ['src/iife.ts', 'cdn-loader.js', 'iife'],
  ['src/index.ts', 'cdn-loader.mjs', 'esm'],
  // The split for the fastest first visit (docs/first-visit.md): the boot inlined in <head>, the runtime async.
  ['src/bootEntry.ts', 'cdn-loader-boot.js', 'iife'],
  ['src/runtimeEntry.ts', 'cdn-loader-runtime.js', 'iife'],
  // The service worker (and, imported by a page, the part that registers it): a classic script.
  ['src/sw.ts', 'cdn-loader-sw.js', 'iife'],
]) {
  // Only the runtime takes over from an inline boot (src/build.d.ts).
  const define = { __RUNTIME__: String(file === 'cdn-loader-runtime.js') };
  // The runtime comes async, so Chromium parses it on a background thread as it streams in; this hint
  // (V8's explicit compile hints, Chromium 136+; other engines read a comment) has V8 compile every
  // function there too, not each on the main thread at its first call, in the middle of the page's load
  // (bench §12, "cold"). Most of it runs as it starts; the price is a larger code cache, made on a second visit.
  const banner = file === 'cdn-loader-runtime.js' ? { js: '//# allFunctionsCalledOnLoad' } : undefined;
  const r = await build({ ...common, define, banner, entryPoints: [entry], outfile: join('dist', file), format, write: !check });
  if (check) for (const f of r.outputFiles) writeFileSync(join(out, relative(resolve('dist'), f.path)), f.contents);
}
// The CLI (bin/cdn-loader.mjs) and the Vite plugin (cdn-loader/vite), for Node and readable: they share the
// HTML rewrite (and parse5) through a chunk, and neither is ever part of what a page loads.
{
  const node = {
    entryPoints: [
      { in: 'cli/main.ts', out: 'cli' },
      { in: 'cli/vite.ts', out: 'vite' },
    ],
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['vite'],
  };
  const r = await build({ ...node, legalComments: 'none', logLevel: 'warning', write: !check });
  if (check) for (const f of r.outputFiles) {
    mkdirSync(dirname(join(out, relative(resolve('dist'), f.path))), { recursive: true });
    writeFileSync(join(out, relative(resolve('dist'), f.path)), f.contents);
  }
}

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', join(out, 'types')], { stdio: 'inherit' });
writeFileSync(join(out, 'cdn-loader.d.ts'), "export * from './types/index.js';\n");
// The manifest's types alone (`cdn-loader/manifest`), for Node code without the DOM lib.
writeFileSync(join(out, 'manifest.d.ts'), "export type * from './types/manifestTypes.js';\n");
// The plugin's declarations: its options name the manifest's public types, declared above.
{
  const tmp = mkdtempSync(join(tmpdir(), 'cdn-loader-vite-types-'));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.vite.json', '--outDir', tmp], { stdio: 'inherit' });
  const d = readFileSync(join(tmp, 'cli', 'vite.d.ts'), 'utf8').replace("'../src/types.js'", "'./types/types.js'");
  if (!d.includes("'./types/types.js'")) throw new Error('build: dist/vite.d.ts does not import the public types');
  writeFileSync(join(out, 'vite.d.ts'), d);
  rmSync(tmp, { recursive: true, force: true });
}

if (check) {
  const files = (dir) =>
    readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
  const fresh = files(out).map((f) => relative(out, f)).sort();
  let stale = [];
  try {
    const have = files('dist').map((f) => relative('dist', f)).sort();
    stale = [...new Set([...fresh, ...have])].filter((f) => {
      try {
        return !readFileSync(join(out, f)).equals(readFileSync(join('dist', f)));
      } catch {
        return true;
      }
    });
  } catch {
    stale = ['dist/ is missing'];
  }
  rmSync(out, { recursive: true, force: true });
  if (stale.length) {
    console.error(`dist/ is stale (${stale.join(', ')}): run \`npm run build\` and commit dist/.`);
    process.exit(1);
  }
  console.log('dist/ is up to date');
}
