// `npm run test:webkit`: runs the browser tests in WebKit (WebKitGTK through WebKitWebDriver, which
// Playwright cannot drive). Bundles the spec files below with e2e/webkit/run.ts, their
// `./fixtures.js` replaced by e2e/webkit/fixtures.ts (same helpers, a `test` that collects), and runs
// them. Arguments: `--core` (only the core behaviours), `--grep TEXT`.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The spec files WebKit runs; the others need Playwright-only features (CDP, routes, contexts). */
const SPECS = ['loader.spec.ts', 'health.spec.ts', 'engines.spec.ts'];

const shim = {
  name: 'webkit-fixtures',
  setup(b) {
    b.onResolve({ filter: /^\.\/fixtures\.js$/ }, (args) => (resolve(args.resolveDir) === resolve('e2e') ? { path: resolve('e2e/webkit/fixtures.ts') } : undefined));
  },
};

const outfile = '.cache/webkit/run.mjs';
const entry = [
  `import { beginFile } from './e2e/webkit/fixtures.ts';`,
  `import { main } from './e2e/webkit/run.ts';`,
  ...SPECS.map((f) => `beginFile(${JSON.stringify(f)}); await import('./e2e/${f}');`),
  `process.exitCode = await main(process.argv.slice(2));`,
].join('\n');
await build({
  stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: 'webkit-entry.ts', loader: 'ts' },
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [shim],
});
const child = spawn(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
