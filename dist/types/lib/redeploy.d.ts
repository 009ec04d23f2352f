import type { Outcome } from './race.js';
import type { Loaded } from './source.js';
import type { KindOptions } from './bind.js';
import { type Source } from './manifest.js';
import { type ChainContext, type Kind } from './chain.js';
type Settled = (s: Source, o: Outcome | 'timeout') => void;
/**
 * The blame hook for integrity failures: an edge's failure is held back from its health until the
 * chain ends (`done`), and dropped when the origin failed the same check (`shared`): a wrong or
 * outdated hash is the manifest's fault, not the edge's.
 */
export declare function integrityGuard(origin: Source, settled: Settled): {
    _shared: boolean;
    _settled: Settled;
    _done(): void;
};
/**
 * Runs a resource's chain. After a deploy, the cached manifest may give hashes of files that no
 * longer exist: every source, the origin too, fails the check. Then the manifest being revalidated
 * (`fresh()`, waited for at most `ms`) decides: when it gives `path` another hash, the resource is
 * loaded again from the origin with it. Until then the kind's end (the script queue) is held.
 */
export declare function redeployChain(kind: Kind, cands: Source[], ctx: ChainContext, o: KindOptions, guard: ReturnType<typeof integrityGuard>, fresh: () => Promise<Loaded> | undefined, path: string, ms: number): Promise<Source | undefined>;
export {};
