// Every browser test runs in two Playwright projects, Chromium and Firefox; WebKit (WebKitGTK, which
// Playwright cannot drive) runs the core behaviours through e2e/webkit/ (`npm run test:webkit`).
//
// @playwright/test is pinned to 1.64.1: it is the newest release that drives a stock Firefox ESR 153
// over WebDriver BiDi. With 1.65 every `newPage()` in Firefox ESR 153 fails with
// `Protocol error (emulation.setMediaFeaturesOverride): unknown command`. Raise the pin together with
// the Firefox the tests run (see docs/browsers.md).
import { defineConfig, type PlaywrightTestOptions, type PlaywrightWorkerOptions, type Project } from '@playwright/test';
import { chromiumArgs, findChromium, findFirefox, firefoxPrefs, loudly, resolverRules, wanted, type Engine } from './e2e/engines.js';

export { chromiumArgs, resolverRules };

/** The Chromium binary the tests and the benchmark use (undefined: Playwright's own). */
export function browserPath(): string | undefined {
  const c = findChromium();
  return c.from === 'Playwright' ? undefined : c.path;
}

const want = wanted();
const missing: Engine[] = [];
const projects: Project<{ h2: boolean } & PlaywrightTestOptions, PlaywrightWorkerOptions>[] = [];

const chromium = findChromium();
if (want.includes('chromium')) {
  if (chromium.path)
    projects.push({
      name: 'chromium',
      use: { browserName: 'chromium', launchOptions: { executablePath: browserPath(), args: chromiumArgs } },
    });
  else missing.push(chromium);
}
// Real edges speak HTTP/2 over TLS: the fault matrix and the failure detector's cases again, with
// edges on Node's http2 server and a self-signed certificate (e2e/servers.ts). Chromium only: the
// cases it runs drive Chromium's network and CPU emulation (CDP).
if (want.includes('chromium') && chromium.path)
  projects.push({
    name: 'h2',
    testMatch: /(matrix|detector)\.spec\.ts$/,
    use: { browserName: 'chromium', launchOptions: { executablePath: browserPath(), args: chromiumArgs }, h2: true, ignoreHTTPSErrors: true },
  });

const firefox = findFirefox();
if (want.includes('firefox')) {
  if (firefox.path)
    projects.push({
      name: 'firefox',
      use: {
        browserName: 'firefox',
        // A stock Firefox speaks WebDriver BiDi; Playwright's own Firefox build needs no channel.
        ...(firefox.from === 'Playwright' ? {} : { channel: 'moz-firefox' }),
        launchOptions: { executablePath: firefox.from === 'Playwright' ? undefined : firefox.path, firefoxUserPrefs: firefoxPrefs },
      },
    });
  else missing.push(firefox);
}

// Said once, by the main process (workers load this file too), and again at the end of the run.
if (missing.length && process.env.TEST_WORKER_INDEX === undefined) console.error(loudly(missing));
process.env.CDN_LOADER_MISSING_ENGINES = missing.map((e) => e.name).join(',');
// CI installs every engine (.ci/run): there a missing one is an error, not a banner.
if (missing.length && process.env.CI) throw new Error(`playwright.config.ts: ${missing.map((e) => e.name).join(', ')} not found on CI: ${missing.map((e) => e.install).join('; ')}`);

export default defineConfig<{ h2: boolean }>({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts$/,
  forbidOnly: !!process.env.CI,
  // One retry on CI only: timing tests on a shared 2-core machine; every retried test is listed in the run's
  // report as flaky and is a bug to chase (see the closing notes), not a pass to forget.
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 30000,
  expect: { timeout: 10000 },
  reporter: [
    ['list'],
    ...(process.env.CI ? [['html', { open: 'never', outputFolder: 'test-results/html' }] as const] : []),
    ['./e2e/engineReport.ts'],
  ],
  outputDir: 'test-results/artifacts',
  use: {
    headless: true,
    trace: 'retain-on-failure',
  },
  projects,
});
