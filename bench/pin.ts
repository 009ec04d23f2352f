// --pin: the benchmark's Node process (its servers, and §9's emulated link) on one core, Chromium on
// the others. On this 2-core machine, unpinned, a 10 Mbit/s first-visit series spread 16 % of its
// median (worst 39 %); pinned, 8 % (docs/first-visit.md): the emulated link no longer waits for the
// renderer's core, nor the renderer for the link's.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/**
 * Runs `start` (which launches Chromium) with this process's threads on every core but the first, so
 * Chromium and every process it forks later inherit those; then moves this process to the first core.
 * Without taskset (Linux util-linux) or a second core it only says why, and runs `start` as it is.
 */
export async function pinned<T>(start: () => Promise<T>, log: (s: string) => void): Promise<T> {
  const n = cpus().length;
  const set = (cores: string) => execFileSync('taskset', ['-a', '-p', '-c', cores, String(process.pid)], { stdio: 'ignore' });
  try {
    if (n < 2) throw new Error('one core');
    set(`1-${n - 1}`);
  } catch (e) {
    log(`bench: --pin left out (${(e as Error).message})`);
    return start();
  }
  try {
    return await start();
  } finally {
    set('0');
    log(`bench: pinned: this process (servers, emulated link) on core 0, Chromium on cores 1-${n - 1}`);
  }
}
