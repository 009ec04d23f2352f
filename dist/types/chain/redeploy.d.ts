import type { Loaded } from '../manifest/source.js';
import type { KindOptions } from '../page/bind.js';
import { type Source } from '../manifest/manifest.js';
import { type ChainContext, type Kind } from './chain.js';
/**
 * Runs a resource's chain. After a deploy, the cached manifest may give hashes of files that no
 * longer exist: every source, the origin too, fails the check. Then the manifest being revalidated
 * (`fresh()`, waited for at most `ms`) decides: when it gives `path` another hash, the resource is
 * loaded again from the origin with it. Until then the kind's end (the script queue) is held. No edge
 * is blamed for such a failure: a failure counts against an edge only when a later source serves the
 * resource (`blamed` in chain.ts), and here none did.
 */
export declare function redeployChain(kind: Kind, cands: Source[], ctx: ChainContext, o: KindOptions, fresh: () => Promise<Loaded> | undefined, path: string, ms: number, failed?: Source): Promise<Source | undefined>;
