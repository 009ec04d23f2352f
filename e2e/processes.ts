// This machine's processes, from Linux /proc: which Chromium a test or the benchmark started, and what it costs.
import { readFileSync, readdirSync } from 'node:fs';

export interface Proc {
  parent: number;
  /** CPU time in clock ticks (1/100 s), user + system, its own and that of its ended children (which it has reaped). */
  ticks: number;
  /** Its command line. */
  args: string[];
}

/** Every process now, by pid. */
export function processes(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      // "pid (name) state ppid …": the name may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: a renderer that ended still counts, in its parent's cutime.
      const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      out.set(Number(name), { parent: Number(f[1]), ticks, args: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Whether `pid` is `root` or below it. */
export function under(all: Map<number, Proc>, pid: number, root: number): boolean {
  for (let q = pid, depth = 0; q > 1 && depth < 16; q = all.get(q)?.parent ?? 0, depth++) if (q === root) return true;
  return false;
}

/**
 * The Chromium browser process that `starter` (Playwright's worker, or the benchmark) launched: the DevTools pipe,
 * and no --type= (Chromium's own child processes carry one).
 */
export function chromiumOf(all: Map<number, Proc>, starter: number): number | undefined {
  for (const [pid, p] of all)
    if (p.args.includes('--remote-debugging-pipe') && !p.args.some((a) => a.startsWith('--type=')) && under(all, pid, starter)) return pid;
}
