// Runs a TypeScript entry (the demo, the benchmark) with Node 20: esbuild bundles it first.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { basename, join } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
const outfile = join('.cache', 'run', basename(entry).replace(/\.ts$/, '.mjs'));
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'inline', logLevel: 'warning' });
const child = spawn(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
