// The switches Chromium runs with (e2e/engines.ts `chromiumArgs`), read back from the browser itself.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { resolverRules } from './engines.js';

/** The command lines of the Chromium browser processes on this machine (Linux /proc; the test runner's among them). */
function browserCommandLines(): string[][] {
  const out: string[][] = [];
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (args.includes('--remote-debugging-pipe') && !args.some((a) => a.startsWith('--type='))) out.push(args);
  }
  return out;
}

test('Chromium keeps Playwright\'s disabled features with ours, and opens no address-bar WebUI for a new context', async ({ browser, browserName }, info) => {
  test.skip(browserName !== 'chromium' || info.project.name !== 'chromium' || !existsSync('/proc'), 'Chromium\'s command line, read from Linux /proc');
  const args = browserCommandLines().find((a) => a.some((x) => x.includes(resolverRules)))!;
  expect(args).toBeTruthy();
  // Chromium applies the last --disable-features only: it must carry every name of the earlier ones.
  const lists = args.filter((a) => a.startsWith('--disable-features=')).map((a) => a.slice('--disable-features='.length).split(','));
  expect(lists.length).toBeGreaterThan(0);
  const last = lists[lists.length - 1];
  expect(lists.flat().filter((name) => !last.includes(name))).toEqual([]);
  expect(last).toEqual(expect.arrayContaining(['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup']));
  // A new context (a new window) loads no chrome://omnibox-popup page beside the page under test.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto('about:blank');
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { url: string }[] };
  expect(targetInfos.map((t) => t.url).filter((u) => u.startsWith('chrome://'))).toEqual([]);
  await ctx.close();
});
