// Where each browser engine of the test runs lives on this machine, and how to start it. The
// Playwright config (Chromium, Firefox) and the WebKit runner (e2e/webkit/) both ask here, so an
// engine is found the same way by every command, and a missing one is named, never skipped quietly.
import { chromium, firefox } from '@playwright/test';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface Engine {
  name: EngineName;
  /** The binary that will run, or undefined when the engine is not installed. */
  path?: string;
  /** Where it came from: an environment variable, Playwright's own download, or a system package. */
  from?: string;
  /** How to get it when it is missing. */
  install: string;
}

const first = (paths: string[]) => paths.find((p) => existsSync(p));

/** A program on $PATH, as `command -v` finds it. */
export function onPath(program: string): string | undefined {
  return first((process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, program)));
}

/** Playwright's own browser of that type, when `npx playwright install` has fetched it. */
function playwrights(type: { executablePath(): string }): string | undefined {
  try {
    const p = type.executablePath();
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** $CHROMIUM_PATH, else Playwright's own Chromium if installed, else Debian's. */
export function findChromium(): Engine {
  const install = 'apt-get install chromium, or npx playwright install chromium, or set CHROMIUM_PATH';
  if (process.env.CHROMIUM_PATH) return { name: 'chromium', path: process.env.CHROMIUM_PATH, from: '$CHROMIUM_PATH', install };
  const own = playwrights(chromium);
  if (own) return { name: 'chromium', path: own, from: 'Playwright', install };
  const deb = first(['/usr/lib/chromium/chromium', '/usr/bin/chromium']);
  return { name: 'chromium', path: deb, from: deb && 'system', install };
}

/**
 * $FIREFOX_PATH, else the system's Firefox (ESR on Debian), else Playwright's own Firefox. A stock
 * Firefox is driven over WebDriver BiDi (`channel: 'moz-firefox'`); Playwright's own build speaks
 * its private protocol. The system's comes first because it is the one users have.
 */
export function findFirefox(): Engine {
  const install = 'apt-get install firefox-esr, or npx playwright install firefox, or set FIREFOX_PATH';
  if (process.env.FIREFOX_PATH) return { name: 'firefox', path: process.env.FIREFOX_PATH, from: '$FIREFOX_PATH', install };
  const sys = first(['/usr/lib/firefox-esr/firefox-esr', '/usr/lib/firefox/firefox']);
  if (sys) return { name: 'firefox', path: sys, from: 'system', install };
  const own = playwrights(firefox);
  return { name: 'firefox', path: own, from: own && 'Playwright', install };
}

/** The WebKitGTK browser that WebKitWebDriver starts (it has no headless mode: it needs an X server). */
export const MINIBROWSER = ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/libexec/webkit2gtk-4.1/MiniBrowser'];

export interface WebKit extends Engine {
  /** The browser binary WebKitWebDriver launches. */
  browser?: string;
  /** `xvfb-run`, when there is no $DISPLAY to draw on. */
  xvfb?: string;
  /** What is missing, in words, when `path` is undefined. */
  missing?: string;
}

/** $WEBKIT_DRIVER (else WebKitWebDriver on $PATH), $WEBKIT_BROWSER (else MiniBrowser), and an X server. */
export function findWebKit(): WebKit {
  const install = 'apt-get install webkit2gtk-driver xvfb (the WebKitGTK engine of Safari, driven over W3C WebDriver)';
  const driver = process.env.WEBKIT_DRIVER || onPath('WebKitWebDriver');
  const browser = process.env.WEBKIT_BROWSER || first(MINIBROWSER);
  const xvfb = process.env.DISPLAY ? undefined : onPath('xvfb-run');
  const missing = [!driver && 'WebKitWebDriver', !browser && 'MiniBrowser', !process.env.DISPLAY && !xvfb && 'xvfb-run (no $DISPLAY)'].filter(Boolean).join(', ');
  if (missing) return { name: 'webkit', install, missing };
  return { name: 'webkit', path: driver, browser, xvfb, from: process.env.WEBKIT_DRIVER ? '$WEBKIT_DRIVER' : 'system', install };
}

/**
 * The engines this run must use: $ENGINES (comma-separated) narrows the list on purpose; otherwise
 * all three. A listed engine that is not installed is reported by `loudly()`.
 */
export function wanted(): EngineName[] {
  const all: EngineName[] = ['chromium', 'firefox', 'webkit'];
  const env = process.env.ENGINES?.split(',').map((s) => s.trim()).filter(Boolean);
  return env?.length ? all.filter((e) => env.includes(e)) : all;
}

/** A banner nobody scrolls past: which engine did not run, and how to get it. */
export function loudly(missing: Engine[]): string {
  if (!missing.length) return '';
  const bar = '!'.repeat(78);
  const lines = missing.map((e) => `!!  ${e.name.toUpperCase()} NOT FOUND: its tests did NOT run. Install: ${e.install}`);
  return [bar, ...lines, '!!  (set ENGINES=chromium,firefox,webkit to choose engines on purpose)', bar].join('\n');
}

/**
 * Keep every test's traffic on this machine: names resolve to loopback or nowhere. Test servers all
 * listen on 127.0.0.1; each edge has its own `*.localhost` name (see e2e/fixtures.ts), which Chromium
 * resolves to loopback by itself.
 */
export const resolverRules = 'MAP *.cdn.test 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, EXCLUDE 127.0.0.1';

/**
 * Playwright 1.64's own `--disable-features` list (playwright-core, chromiumSwitches.ts; pinned in package.json).
 * Chromium keeps only the last `--disable-features` of its command line (a second one silently drops the first:
 * https://github.com/sitespeedio/browsertime/pull/2557) and Playwright puts ours after its own, so ours repeats
 * it. e2e/chromiumArgs.spec.ts fails when a Playwright update adds a name that is missing here.
 */
const PLAYWRIGHT_DISABLED = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'DialMediaRouteProvider',
  'GlobalMediaControls',
  'HttpsUpgrades',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'BlockOriginHeaderModificationOnRedirect',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'Translate',
  'AutoDeElevate',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Chromium's switches. `WebUIOmniboxPopup`, `WebUIOmniboxAimPopup`: Chromium 156 run as full Chromium in
 * headless mode (this machine's, or `$CHROMIUM_PATH`; Playwright's own headless shell has no address bar) loads
 * its address bar's WebUI popup (chrome://omnibox-popup, with its AI-mode page) in a renderer of its own for
 * every new browser context. In the 4 s after a context opened, Chromium's processes used 2.37–2.46 s of CPU
 * with it and 0.60–0.70 s without it (6 contexts each, bench/contextCpu.ts, 2 cores). In the fifth session's 12
 * traced cold visits of §9 its main thread used 120–237 ms of CPU before LCP, the measured page's own 88–141 ms,
 * on the one core they shared (docs/first-visit.md). Every test and every cold visit of the benchmark opens a
 * context; a user's browser would load the popup once per window, not per page. e2e/chromiumArgs.spec.ts checks
 * that it is gone.
 */
export const chromiumArgs = [
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  `--disable-features=${[...PLAYWRIGHT_DISABLED, 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'].join(',')}`,
  `--host-resolver-rules=${resolverRules}`,
];

/**
 * Firefox preferences that keep it quiet and on this machine, the counterpart of Chromium's resolver
 * rules: every request that is not for loopback goes to a proxy on the discard port, which refuses it
 * (Firefox never proxies loopback, and resolves `*.localhost` to loopback itself); no updates,
 * telemetry, captive-portal or safe-browsing calls.
 */
export const firefoxPrefs: Record<string, string | number | boolean> = {
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.no_proxies_on': 'localhost, .localhost, 127.0.0.1',
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'extensions.update.enabled': false,
  'browser.search.update': false,
};
