import type { Source } from '../manifest/manifest.js';
import type { Health } from './health.js';
import type { Monitor } from './monitor.js';
import type { Outcome } from '../chain/race.js';
import type { Attempt, Deadlines } from '../chain/deadline.js';
/**
 * Ms since an edge last delivered something during which it counts as busy: a deadline passed there
 * then says that the page's own downloads fill the link (a request waits behind them for a
 * connection, or for its bytes on a slow link), not that the edge is down.
 */
export declare const BUSY = 3000;
/**
 * What the end of an attempt says of its source (the origin has no health); `undefined`: it was
 * cancelled. A hang takes its edge out of rotation until a ping, sent at once, says it is alive; once
 * down, its backoff decides: what still times out there (lazy images moving off) is the same outage.
 * Not on a busy edge (SPEC §5: a transfer still receiving bytes is not the edge's fault): the resource
 * still hedges (race.ts), and the edge stays in use, so the next page finds its copies in the HTTP
 * cache. An edge that hangs whole delivers nothing, so it goes down on its first deadline.
 * Made once per page; `health` and `mon` are asked when an attempt ends (they come with the manifest).
 */
export declare const settler: (timing: Deadlines, health: () => Health | undefined, mon: () => Monitor | undefined) => (s: Source, o: Outcome | 'timeout' | undefined, a?: Attempt) => void;
