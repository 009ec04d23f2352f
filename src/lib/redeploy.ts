import type { Loaded } from './source.js';
import { findRule } from './manifest.js';
import { timer } from './chain.js';

/**
 * After a deploy, the cached manifest may name the integrity of files that no longer exist: then
 * every source, the origin too, fails the check. The manifest being revalidated decides: resolves
 * with the integrity it gives `path` when that differs from `old` (then the resource is retried with
 * it), or undefined when it says the same, is not usable, or has not arrived within `ms`.
 */
export function newIntegrity(fresh: Promise<Loaded> | undefined, path: string, old: string | undefined, ms: number): Promise<string | undefined> {
  return Promise.race([fresh, new Promise<undefined>((r) => timer(() => r(undefined), ms))]).then((r) => {
    const sri = r?.ok ? findRule(r.value, path)?.integrity : undefined;
    return sri !== old ? sri : undefined;
  });
}
