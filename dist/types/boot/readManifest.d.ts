import type { Mode } from '../types.js';
import { type Rule, type Source } from '../lib/manifest.js';
import type { Store } from '../lib/store.js';
/** What the boot reads of a manifest. */
export interface BootConfig {
    mode: Mode;
    origin: Source;
    edges: Source[];
    find: (path: string) => Rule | undefined;
    sticky?: boolean;
    retries: number;
    /** How long remembered health holds (probe.ttl). */
    ttl: number;
}
type Obj = Record<string, any>;
/** Reads a parsed manifest as manifest.ts would (same sources, ids, rules), without its messages; throws what it would refuse. */
export declare function readConfig(m: Obj): BootConfig;
/**
 * The manifest the boot can use at once, or undefined: inline JSON, a `#id` JSON script above the
 * boot, or the copy of a manifest URL that the runtime cached on an earlier page (with none, a first
 * visit, the boot only records, as the loader waits for the manifest today). No messages: whatever
 * the boot cannot use, the runtime reads again, reports and falls back from.
 */
export declare function readManifest(spec: string, store: Store): BootConfig | undefined;
export {};
