// The switches Chromium runs with (e2e/engines.ts `chromiumArgs`), read back from the browser itself.
import { existsSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { chromiumOf, processes } from './processes.js';

test('Chromium keeps Playwright\'s disabled features with ours, and opens no address-bar WebUI for a new context', async ({ browser, browserName }) => {
  test.skip(browserName !== 'chromium', 'Chromium only');
  test.skip(!existsSync('/proc'), 'the browser\'s command line is read from Linux /proc');
  // Playwright starts the browser process from the worker itself.
  const all = processes();
  const args = all.get(chromiumOf(all, process.pid) ?? 0)?.args;
  expect(args, 'no Chromium started by this worker in /proc').toBeTruthy();
  // Chromium applies the last --disable-features only: it must carry every name of the earlier ones.
  const lists = args!.filter((a) => a.startsWith('--disable-features=')).map((a) => a.slice('--disable-features='.length).split(','));
  expect(lists.length).toBeGreaterThan(0);
  const last = lists[lists.length - 1];
  expect(lists.flat().filter((name) => !last.includes(name))).toEqual([]);
  expect(last).toEqual(expect.arrayContaining(['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup']));
  // A new context (a new window) loads no browser page beside the page under test. With the popup's features
  // on, its targets (chrome://omnibox-popup.top-chrome/ and its AI-mode page) were listed by the time goto
  // returned (measured, Chromium 156).
  const cdp = await browser.newBrowserCDPSession();
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await page.goto('about:blank');
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { url: string }[] };
    expect(targetInfos.map((t) => t.url).filter((u) => /^chrome(-untrusted)?:\/\//.test(u))).toEqual([]);
  } finally {
    await ctx.close();
    await cdp.detach();
  }
});
