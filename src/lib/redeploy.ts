import type { Outcome } from './race.js';
import type { Loaded } from './source.js';
import type { KindOptions } from './bind.js';
import { findRule, type Source } from './manifest.js';
import { runChain, timer, type ChainContext, type Kind } from './chain.js';

type Settled = (s: Source, o: Outcome | 'timeout') => void;

/**
 * The blame hook for integrity failures: an edge's failure is held back from its health until the
 * chain ends (`done`), and dropped when the origin failed the same check (`shared`): a wrong or
 * outdated hash is the manifest's fault, not the edge's.
 */
export function integrityGuard(origin: Source, settled: Settled): { _shared: boolean; _settled: Settled; _done(): void } {
  const suspects: Source[] = [];
  const g = {
    _shared: false,
    _settled(s: Source, o: Outcome | 'timeout') {
      if (o === 'integrity' && s !== origin) suspects.push(s);
      else settled(s, o), (g._shared ||= o === 'integrity');
    },
    _done: () => g._shared || suspects.forEach((s) => settled(s, 'integrity')),
  };
  return g;
}

/**
 * Runs a resource's chain. After a deploy, the cached manifest may give hashes of files that no
 * longer exist: every source, the origin too, fails the check. Then the manifest being revalidated
 * (`fresh()`, waited for at most `ms`) decides: when it gives `path` another hash, the resource is
 * loaded again from the origin with it. Until then the kind's end (the script queue) is held.
 */
export async function redeployChain(
  kind: Kind,
  cands: Source[],
  ctx: ChainContext,
  o: KindOptions,
  guard: ReturnType<typeof integrityGuard>,
  fresh: () => Promise<Loaded> | undefined,
  path: string,
  ms: number,
): Promise<Source | undefined> {
  let again = false;
  const end = kind.end;
  kind.end = (w, origin) => (w || !guard._shared || again) && end(w, origin);
  let win = await runChain(kind, cands, ctx);
  guard._done();
  if (!win && guard._shared) {
    again = true;
    const r = await Promise.race([fresh(), new Promise<undefined>((r) => timer(() => r(undefined), ms))]);
    const sri = r && typeof r != 'string' ? findRule(r, path)?.integrity : undefined;
    if (!sri || sri === o._integrity || !ctx.current()) end(win, ctx.origin);
    else {
      o._integrity = sri;
      if (kind.el instanceof HTMLLinkElement) {
        // The same href again, now with the new hash: it must be set anew to load.
        kind.el.integrity = sri;
        kind.el.removeAttribute('href');
      }
      win = await runChain(kind, [ctx.origin], ctx);
    }
  }
  return win;
}
