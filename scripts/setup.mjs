// Runs first in `npm test` and `npm run demo`, so that on a fresh clone `npm install && npm test` gets
// everything it needs by itself. For the tests (scripts/needs.mjs lists them): Chromium, Firefox, WebKit
// (WebKitGTK's WebDriver and Xvfb) and nginx. What is missing comes from Playwright's own download where
// that works, else from Debian/Ubuntu packages (as root, or through sudo without a password); when
// neither can be done, it prints one message with the exact command and exits 1: nothing is skipped.
//
//   node scripts/setup.mjs         what `npm test` needs ($ENGINES=chromium,firefox narrows the browsers)
//   node scripts/setup.mjs demo    what `npm run demo` needs (the built loader; no browser: you bring yours)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needed, onPath, plan } from './needs.mjs';

const say = (line) => console.error(`setup: ${line}`);

if (!existsSync('node_modules/esbuild') || !existsSync('node_modules/@playwright/test')) {
  say('the dependencies are not installed: run `npm install` first.');
  process.exit(1);
}

if (process.argv[2] === 'demo') {
  if (!existsSync('dist/cdn-loader.js')) {
    say('dist/cdn-loader.js is missing; building it');
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
  process.exit(0);
}

const missing = () => needed().filter((n) => !n.found(process.env));
let lacking = missing();
if (!lacking.length) process.exit(0);

const root = process.getuid?.() === 0;
const hasSudo = !!onPath('sudo');
const machine = {
  apt: !!onPath('apt-get'),
  root,
  hasSudo,
  sudo: !root && hasSudo && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
  download: !process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD,
};
const { steps } = plan(lacking, machine);
say(`${lacking.map((n) => n.name).join(', ')} missing`);

/** Runs a command with its output in a log file (shown only when it fails); true when it succeeded. */
function run(what, command, args, env = process.env) {
  let dir = '.cache';
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    dir = tmpdir();
  }
  const log = join(dir, `setup-${what}.log`);
  const r = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024, timeout: 20 * 60 * 1000 });
  writeFileSync(log, `$ ${command} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}\n`);
  if (r.status === 0) return true;
  const lines = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n');
  const why = r.error?.message ?? lines.filter((l) => /error/i.test(l)).pop() ?? lines.pop() ?? `exit ${r.status}`;
  say(`${what} failed: ${why.trim()} (full output in ${log})`);
  return false;
}

for (const step of steps) {
  if (step.kind === 'playwright') {
    say(`downloading Playwright's ${step.args.slice(1).join(' and ')} (npx playwright ${step.args.join(' ')})…`);
    run('playwright', process.execPath, ['node_modules/@playwright/test/cli.js', ...step.args]);
  } else if (step.kind === 'apt') {
    const still = missing();
    if (!still.length) break;
    const packages = still.flatMap((n) => n.apt);
    const sudo = step.sudo ? ['sudo', '-n'] : [];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    say(`installing ${packages.join(' ')} with apt-get${step.sudo ? ' (sudo)' : ''}; this takes a minute or two…`);
    const [cmd, ...pre] = [...sudo, 'apt-get'];
    if (run('apt-get', cmd, [...pre, 'update', '-qq'], env)) run('apt-get', cmd, [...pre, 'install', '-y', '-qq', ...packages], env);
  }
  lacking = missing();
  if (!lacking.length) break;
}

lacking = missing();
if (lacking.length) {
  // Recomputed: whatever was installed meanwhile is no longer asked for.
  console.error('\n' + plan(lacking, machine).message + '\n');
  process.exit(1);
}
say('everything the tests need is installed');
