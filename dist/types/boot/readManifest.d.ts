import type { Mode } from '../types.js';
import { type Rule, type Source } from '../manifest/manifest.js';
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
 * The manifest the boot can use at once, or undefined: inline JSON, or a `#id` JSON script above the
 * boot. A manifest URL is left to the runtime (the boot only records then): its round trip is what the
 * boot is there to save, and the Vite plugin and `cdn-loader rewrite` always inline it. No messages:
 * whatever the boot cannot use, the runtime reads again, reports and falls back from.
 */
export declare function readManifest(spec: string): BootConfig | undefined;
export {};
