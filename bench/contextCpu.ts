// What a new browser context costs Chromium in CPU, apart from any page: `node scripts/run.mjs bench/contextCpu.ts
// [switch …]` launches the benchmark's Chromium (the tests' switches, and any given here after them), opens three
// contexts one after another, each with a page at about:blank, and prints the CPU time (user + system, from Linux
// /proc) that the browser and all its child processes, live or ended, used in the 4 s after each opened. Run on a
// quiet machine. It showed the address bar's WebUI popup that Chromium 156 loads per context (e2e/engines.ts,
// docs/first-visit.md).
import { chromium } from '@playwright/test';
import { browserPath, chromiumArgs } from '../playwright.config.js';
import { chromiumOf, processes, under } from '../e2e/processes.js';

const browser = await chromium.launch({ executablePath: browserPath(), args: [...chromiumArgs, ...process.argv.slice(2)], headless: true });
const root = chromiumOf(processes(), process.pid);
if (!root) throw new Error('contextCpu: no Chromium browser process of this process found in /proc');
const cpu = () => {
  const now = processes();
  let ticks = 0;
  for (const [pid, p] of now) if (under(now, pid, root)) ticks += p.ticks;
  return ticks;
};
await new Promise((r) => setTimeout(r, 3000));
for (let i = 0; i < 3; i++) {
  const before = cpu();
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto('about:blank');
  await new Promise((r) => setTimeout(r, 4000));
  // Clock ticks are 1/100 s on Linux (getconf CLK_TCK).
  console.log(`context ${i + 1}: ${((cpu() - before) * 10).toFixed(0)} ms of CPU in the 4 s after it opened`);
  await ctx.close();
}
await browser.close();
