// What the tests need from the machine (browsers, nginx), where each is found, and how each is
// installed when it is not. scripts/setup.mjs acts on it. The lookups are those of the tests themselves
// (playwright.config.ts and the WebKit runner for the browsers, e2e/nginx.spec.ts for nginx, which
// imports it), in the same order and with the same variables, so the setup and the tests agree on
// what is there. Plain JavaScript: it runs before anything is built (types in needs.d.mts).
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The first of `paths` that exists, or undefined. */
const first = (paths) => paths.find((p) => !!p && existsSync(p));

/** `name` on the PATH, or in the sbin folders a normal user's PATH lacks (Debian's nginx). */
export function onPath(name, env = process.env) {
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs
    .filter(Boolean)
    .map((d) => join(d, name))
    .find((p) => {
      try {
        accessSync(p, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Whether Playwright's own build of `browser` ("chromium", "firefox") is installed. */
export function playwrightHas(browser) {
  try {
    return existsSync(require('@playwright/test')[browser].executablePath());
  } catch {
    // @playwright/test is not installed yet, or has no build for this platform.
    return false;
  }
}

/**
 * Chromium for the browser tests: $CHROMIUM_PATH, else Playwright's own (undefined: Playwright finds it),
 * else Debian's.
 */
export function chromiumPath(env = process.env) {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  if (playwrightHas('chromium')) return undefined;
  return first(['/usr/lib/chromium/chromium', '/usr/bin/chromium']);
}

/** Firefox: $FIREFOX_PATH, else the system's (Debian's Firefox ESR), else Playwright's own (undefined). */
export function firefoxPath(env = process.env) {
  if (env.FIREFOX_PATH) return env.FIREFOX_PATH;
  return first(['/usr/lib/firefox-esr/firefox-esr', '/usr/lib/firefox/firefox']);
}

/** nginx for the edge recipe test: $NGINX_PATH, else Debian's /usr/sbin/nginx or nginx on the PATH. */
export function nginxPath(env = process.env) {
  return env.NGINX_PATH || onPath('nginx', env);
}

/** WebKitGTK's MiniBrowser, which WebKitWebDriver starts. */
const MINIBROWSER = ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/libexec/webkit2gtk-4.1/MiniBrowser'];

/**
 * WebKitGTK's WebDriver ($WEBKIT_DRIVER, else on the PATH), the MiniBrowser it drives ($WEBKIT_BROWSER),
 * and an X server for it: $DISPLAY, else xvfb-run. Undefined when one of them is missing.
 */
export function webkit(env = process.env) {
  const driver = env.WEBKIT_DRIVER || onPath('WebKitWebDriver', env);
  const browser = env.WEBKIT_BROWSER || first(MINIBROWSER);
  const xvfbRun = env.DISPLAY ? undefined : onPath('xvfb-run', env);
  return driver && browser && (env.DISPLAY || xvfbRun) ? { driver, browser, xvfbRun } : undefined;
}

/**
 * Everything `npm test` needs, each with how to find it and how to install it: `playwright` names
 * Playwright's own download (tried first), `apt` the Debian/Ubuntu packages (tried next, as root).
 */
export const NEEDS = [
  { name: 'Chromium', engine: 'chromium', found: (env) => chromiumPath(env) !== undefined || playwrightHas('chromium'), playwright: 'chromium', apt: ['chromium'], env: 'CHROMIUM_PATH' },
  { name: 'Firefox', engine: 'firefox', found: (env) => firefoxPath(env) !== undefined || playwrightHas('firefox'), playwright: 'firefox', apt: ['firefox-esr'], env: 'FIREFOX_PATH' },
  { name: 'WebKit (WebKitGTK WebDriver and Xvfb)', engine: 'webkit', found: (env) => webkit(env) !== undefined, apt: ['webkit2gtk-driver', 'xvfb'], env: 'WEBKIT_DRIVER' },
  { name: 'nginx', found: (env) => nginxPath(env) !== undefined, apt: ['nginx'], env: 'NGINX_PATH' },
];

/** The needs of this run: $ENGINES (e.g. "chromium,firefox") narrows the browsers on purpose; nginx always. */
export function needed(env = process.env) {
  const engines = env.ENGINES?.split(',').map((e) => e.trim()).filter(Boolean);
  return NEEDS.filter((n) => !n.engine || !engines?.length || engines.includes(n.engine));
}

/**
 * What to do about the `missing` needs (pure: the tests call it with made-up machines).
 * `machine`: { apt: apt-get exists, root: uid 0, sudo: sudo runs without a password, hasSudo: sudo is
 * installed at all, download: Playwright's download may be tried }. Returns the steps to try in order, and the one message to
 * print if they fail or cannot be tried.
 */
export function plan(missing, machine) {
  const steps = [];
  const fromPlaywright = missing.filter((n) => n.playwright);
  if (machine.download && fromPlaywright.length) steps.push({ kind: 'playwright', needs: fromPlaywright, args: ['install', ...fromPlaywright.map((n) => n.playwright)] });
  const packages = missing.flatMap((n) => n.apt ?? []);
  const sudo = machine.root || !machine.hasSudo ? '' : 'sudo ';
  const aptCommand = `${machine.root || machine.hasSudo ? '' : 'as root: '}${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`;
  if (machine.apt && (machine.root || machine.sudo) && packages.length) steps.push({ kind: 'apt', needs: missing, packages, sudo: !machine.root });
  const names = missing.map((n) => n.name).join(', ');
  let how;
  if (machine.apt) how = `  ${aptCommand}`;
  else
    how =
      (fromPlaywright.length ? `  npx playwright install ${fromPlaywright.map((n) => n.playwright).join(' ')}\n` : '') +
      missing
        .filter((n) => !n.playwright)
        .map((n) => `  ${n.name}: Debian/Ubuntu packages ${n.apt.join(' ')}; elsewhere install it yourself and set ${n.env}`)
        .join('\n');
  const message =
    `cdn-loader setup: the tests need ${names}, which this machine lacks and this script could not install` +
    `${machine.apt && !machine.root && !machine.sudo ? (machine.hasSudo ? ' (it is not root, and sudo asks for a password)' : ' (it is not root, and there is no sudo)') : ''}. Install with:\n\n${how}\n\n` +
    `then run the command again. ${missing.map((n) => `$${n.env}`).join(', ')} ${missing.length > 1 ? 'point' : 'points'} the tests at your own copies.` +
    (missing.some((n) => n.engine) ? ` To leave a browser out on purpose, name the others: ENGINES=${NEEDS.filter((n) => n.engine && !missing.includes(n)).map((n) => n.engine).join(',') || 'chromium'} npm test.` : '');
  return { steps, message };
}
