// The fresh-machine setup (scripts/setup.mjs): what it does about missing browsers and nginx on each kind
// of machine, and that the lock file is the one a fresh `npm install` writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NEEDS, needed, plan, type Need } from '../scripts/needs.mjs';
import pkg from '../package.json' with { type: 'json' };

const need = (name: string): Need => NEEDS.find((n) => n.name.startsWith(name))!;
const all = NEEDS;
const machine = { apt: true, root: true, sudo: false, hasSudo: false, download: true };

test('every need has a way in: Playwright for the browsers it builds, Debian packages for all', () => {
  assert.deepEqual(
    NEEDS.flatMap((n) => n.apt),
    ['chromium', 'firefox-esr', 'webkit2gtk-driver', 'xvfb', 'nginx'],
  );
  assert.deepEqual(NEEDS.filter((n) => n.playwright).map((n) => n.playwright), ['chromium', 'firefox']);
});

test('root on Debian: Playwright\'s download first, then apt-get for whatever is still missing', () => {
  const { steps } = plan(all, machine);
  assert.deepEqual(
    steps.map((s) => s.kind),
    ['playwright', 'apt'],
  );
  assert.deepEqual(steps[0].kind === 'playwright' && steps[0].args, ['install', 'chromium', 'firefox']);
  assert.deepEqual(steps[1].kind === 'apt' && steps[1].packages, ['chromium', 'firefox-esr', 'webkit2gtk-driver', 'xvfb', 'nginx']);
  // nginx alone: nothing to download.
  assert.deepEqual(plan([need('nginx')], machine).steps.map((s) => s.kind), ['apt']);
  // No download where it is turned off.
  assert.deepEqual(plan([need('Chromium')], { ...machine, download: false }).steps.map((s) => s.kind), ['apt']);
});

test('a user with password-less sudo installs through sudo; otherwise one message with the exact command', () => {
  const sudo = plan([need('nginx')], { ...machine, root: false, sudo: true, hasSudo: true });
  assert.deepEqual(sudo.steps, [{ kind: 'apt', needs: [need('nginx')], packages: ['nginx'], sudo: true }]);

  const none = plan([need('WebKit'), need('nginx')], { ...machine, root: false, sudo: false, hasSudo: true, download: true });
  assert.deepEqual(none.steps, []);
  assert.match(none.message, /^cdn-loader setup: the tests need WebKit \(WebKitGTK WebDriver and Xvfb\), nginx, which this machine lacks/);
  assert.match(none.message, /it is not root, and sudo asks for a password/);
  assert.ok(none.message.includes('\n  sudo apt-get update && sudo apt-get install -y webkit2gtk-driver xvfb nginx\n'), none.message);
  assert.match(none.message, /\$WEBKIT_DRIVER, \$NGINX_PATH point the tests/);

  const noSudo = plan([need('nginx')], { ...machine, root: false, sudo: false, hasSudo: false });
  assert.match(noSudo.message, /\(it is not root, and there is no sudo\)/);
  assert.ok(noSudo.message.includes('\n  as root: apt-get update && apt-get install -y nginx\n'), noSudo.message);
  assert.match(noSudo.message, /\$NGINX_PATH points the tests at your own copies/);
  assert.doesNotMatch(noSudo.message, /ENGINES/);
  assert.match(none.message, / To leave a browser out on purpose, name the others: ENGINES=chromium,firefox npm test\.$/);
});

test('without apt-get: Playwright\'s command for the browsers, the packages and variables for the rest', () => {
  const { steps, message } = plan(all, { apt: false, root: false, sudo: false, hasSudo: false, download: true });
  assert.deepEqual(steps.map((s) => s.kind), ['playwright']);
  assert.ok(message.includes('\n  npx playwright install chromium firefox\n'), message);
  assert.match(message, /nginx: Debian\/Ubuntu packages nginx; elsewhere install it yourself and set NGINX_PATH/);
  assert.match(message, /\$CHROMIUM_PATH, \$FIREFOX_PATH, \$WEBKIT_DRIVER, \$NGINX_PATH point the tests at your own copies/);
});

test('$ENGINES narrows the browsers on purpose, as the tests do; nginx is always needed', () => {
  assert.deepEqual(needed({ ENGINES: 'chromium' }).map((n) => n.name), ['Chromium', 'nginx']);
  assert.deepEqual(needed({ ENGINES: 'firefox, webkit' }).map((n) => n.name), ['Firefox', 'WebKit (WebKitGTK WebDriver and Xvfb)', 'nginx']);
  assert.equal(needed({}).length, 4);
});

test('npm test and npm run demo run the setup first; CI runs the README\'s test command', () => {
  assert.match(pkg.scripts.test, /^node scripts\/setup\.mjs && /);
  assert.match(pkg.scripts.demo, /^node scripts\/setup\.mjs demo && /);
  const ci = readFileSync('.ci/run', 'utf8');
  assert.match(ci, /\nnpm test\n/);
  assert.match(readFileSync('README.md', 'utf8'), /npm install && npm test/);
});

test('package-lock.json is what a fresh `npm install` writes for package.json (its root entry too)', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  const root = lock.packages[''];
  // npm copies these fields of package.json into the lock's root entry, and rewrites the lock when they differ.
  for (const k of ['name', 'version', 'license', 'bin', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'engines'] as const)
    assert.deepEqual(root[k], (pkg as Record<string, unknown>)[k], `package-lock.json's root "${k}" differs from package.json: run \`npm install\` and commit package-lock.json`);
  assert.equal(lock.name, pkg.name);
  assert.equal(lock.version, pkg.version);
});

test('install scripts: esbuild\'s and msw\'s are not needed and stay off, so installs are quiet', () => {
  assert.deepEqual((pkg as { allowScripts?: unknown }).allowScripts, { esbuild: false, msw: false });
});
