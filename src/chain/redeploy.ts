import type { Loaded } from '../manifest/source.js';
import type { KindOptions } from '../page/bind.js';
import { findRule, type Source } from '../manifest/manifest.js';
import { runChain, timer, type ChainContext, type Kind } from './chain.js';

/**
 * Runs a resource's chain. After a deploy, the cached manifest may give hashes of files that no
 * longer exist: every source, the origin too, fails the check. Then the manifest being revalidated
 * (`fresh()`, waited for at most `ms`) decides: when it gives `path` another hash, the resource is
 * loaded again from the origin with it. Until then the kind's end (the script queue) is held. No edge
 * is blamed for such a failure: a failure counts against an edge only when a later source serves the
 * resource (`blamed` in chain.ts), and here none did.
 */
export async function redeployChain(
  kind: Kind,
  cands: Source[],
  ctx: ChainContext,
  o: KindOptions,
  fresh: () => Promise<Loaded> | undefined,
  path: string,
  ms: number,
  failed?: Source,
): Promise<Source | undefined> {
  /** The origin failed the integrity check too: the hash, not a source, is wrong. */
  let shared = false;
  const end = kind._end;
  const settled = ctx._settled;
  ctx._settled = (s, r, a) => {
    shared ||= s === ctx._origin && r === 'integrity';
    settled(s, r, a);
  };
  kind._end = (w, origin) => (w || !shared) && end(w, origin);
  let win = await runChain(kind, cands, ctx, failed);
  if (!win && shared) {
    const r = await Promise.race([fresh(), new Promise<undefined>((r) => timer(r as () => void, ms))]);
    const sri = r && typeof r != 'string' ? findRule(r, path)?.integrity : undefined;
    if (sri && sri !== o._integrity && ctx._current()) {
      o._integrity = sri;
      // A stylesheet: the same href again, now with the new hash, must be set anew to load. (A script's
      // placeholder has no href, and its integrity attribute is not copied: the new hash is in `o`.)
      (kind.el as HTMLLinkElement).integrity = sri;
      kind.el.removeAttribute('href');
      // Straight into the element, not through a preload: Firefox ESR 153 answers a second preload of a
      // URL whose first failed its integrity check with that failure, without fetching it again.
      if (await kind._commit(ctx._origin)) win = ctx._origin;
    }
    end(win, ctx._origin);
  }
  return win;
}
