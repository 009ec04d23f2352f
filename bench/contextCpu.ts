// What a new browser context costs Chromium in CPU, apart from any page: `node scripts/run.mjs bench/contextCpu.ts
// [switch …]` launches the benchmark's Chromium (the tests' switches, and any given here after them), opens three
// contexts one after another, each with a page at about:blank, and prints the CPU time (user + system, from Linux
// /proc) that the browser and all its child processes, live or ended, used in the 4 s after each opened. Run on a
// quiet machine. It showed the address bar's WebUI popup that Chromium 156 loads per context (e2e/engines.ts,
// docs/first-visit.md).
import { readFileSync, readdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { browserPath, chromiumArgs } from '../playwright.config.js';

interface Proc {
  parent: number;
  /** CPU time in clock ticks, user + system, its own and that of its ended children (which it has reaped). */
  ticks: number;
  args: string;
}

/** Every process. */
function processes(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: a renderer that ended in the window still counts, in its parent's cutime.
      out.set(Number(name), { parent: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]), args: readFileSync(`/proc/${name}/cmdline`, 'utf8') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Whether `pid` is `root` or below it. */
const under = (all: Map<number, Proc>, pid: number, root: number) => {
  for (let q = pid, depth = 0; q > 1 && depth < 16; q = all.get(q)?.parent ?? 0, depth++) if (q === root) return true;
  return false;
};

const browser = await chromium.launch({ executablePath: browserPath(), args: [...chromiumArgs, ...process.argv.slice(2)], headless: true });
// The browser process: started by this process, with the DevTools pipe; Chromium's own child processes carry --type=.
const all = processes();
const root = [...all].find(([pid, p]) => p.args.includes('--remote-debugging-pipe') && !p.args.includes('--type=') && under(all, pid, process.pid))?.[0];
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
