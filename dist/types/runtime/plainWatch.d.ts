import { type Config, type Source } from '../manifest/manifest.js';
import { type Kind } from '../chain/chain.js';
import type { Health } from '../health/health.js';
import { type KindOptions } from '../page/bind.js';
import { type Part } from '../page/parts.js';
import type { Takeover } from './takeover.js';
import type { Deadlines } from '../chain/deadline.js';
import type { Where } from '../manifest/written.js';
/** The loader's chain of one resource (loader.ts `run`). */
type Run = (list: Part[], make: (list: Part[], o: KindOptions) => Kind, failed?: Source) => unknown;
/**
 * Plain `src`/`href` of registered assets at an edge, still loading when the runtime comes (the
 * preload scanner asked for them before any script ran): images and stylesheets. Each is timed as
 * one the boot started, its own request the first attempt (nothing is set on it, nothing fetched
 * again), and moved to its next source on a hang; at once when its edge is down (remembered, or found
 * down on this page) and nothing of it has arrived. Looked for when the manifest is in force, and
 * again once the page is parsed. The one-tag build leaves them as they are (it has no `__RUNTIME__`).
 * One the boot moved off an edge it knew down is the boot's record, claimed as the boot's are.
 */
export declare function watchPlain(cfg: Config, where: Where, health: Health, bound: WeakMap<Element, string[]>, boot: Takeover, run: Run, timing: Deadlines): void;
export {};
