// Runs the Node unit tests of the decision code: bundles test/*.test.ts with esbuild (Node 20 cannot
// run TypeScript) and runs them with `node --test`. Fails when no test ran, so a silent pass is impossible.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const out = '.cache/unit';
rmSync(out, { recursive: true, force: true });
const files = readdirSync('test').filter((f) => f.endsWith('.test.ts'));
if (!files.length) {
  console.error('unit: no test files in test/');
  process.exit(1);
}
await build({
  entryPoints: files.map((f) => join('test', f)),
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const child = spawn(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', ...files.map((f) => join(out, f.replace(/\.ts$/, '.mjs')))], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let text = '';
child.stdout.on('data', (d) => {
  text += d;
  process.stdout.write(d);
});
child.on('close', (code) => {
  const ran = Number(/tests (\d+)/.exec(text)?.[1] ?? 0);
  if (!ran) {
    console.error('unit: no test ran');
    process.exit(1);
  }
  process.exit(code ?? 1);
});
