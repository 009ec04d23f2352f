import { defineConfig } from '@playwright/test';
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

/** $CHROMIUM_PATH, else Playwright's own Chromium if installed, else Debian's. */
export function browserPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Playwright's browser is not installed.
  }
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) if (existsSync(p)) return p;
  return undefined;
}

/** Every name resolves to this machine or nowhere: tests never reach out. */
export const resolverRules =
  'MAP *.cdn.test 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, EXCLUDE 127.0.0.1';

export const chromiumArgs = [
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  `--host-resolver-rules=${resolverRules}`,
];

export default defineConfig<{ h2: boolean }>({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts$/,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30000,
  expect: { timeout: 10000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'test-results/html' }]] : 'list',
  outputDir: 'test-results/artifacts',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: browserPath(), args: chromiumArgs },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'http1' },
    // Real edges speak HTTP/2 over TLS: the fault matrix and the failure detector's cases again, with
    // edges on Node's http2 server and a self-signed certificate (e2e/servers.ts).
    { name: 'h2', testMatch: /(matrix|detector)\.spec\.ts$/, use: { h2: true, ignoreHTTPSErrors: true } },
  ],
});
