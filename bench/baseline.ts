// The baseline build that §9, §10 and §12 interleave with this one: dist/ files of a git revision.
import { execFileSync } from 'node:child_process';

/** `dist/<file>` of git revision `rev` (default: where this branch left main, `git merge-base HEAD main`), or null. */
export function distAt(file: string, rev?: string): Buffer | null {
  try {
    const base = rev ?? execFileSync('git', ['merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim();
    return execFileSync('git', ['show', `${base}:dist/${file}`], { maxBuffer: 1 << 26 });
  } catch {
    return null;
  }
}

/** The boot and runtime of git revision `rev` (as `distAt`), for the split of §9 and §12; null when either is missing. */
export function splitAt(rev?: string): { boot: string; runtime: string } | null {
  const [boot, runtime] = ['cdn-loader-boot.js', 'cdn-loader-runtime.js'].map((f) => distAt(f, rev));
  return boot && runtime ? { boot: boot.toString(), runtime: runtime.toString() } : null;
}
