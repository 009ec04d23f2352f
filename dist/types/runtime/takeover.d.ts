import type { ReportRow } from '../types.js';
import type { Source } from '../manifest/manifest.js';
import { type ChainContext, type Kind } from '../chain/chain.js';
/** A resource the boot started, claimed by the runtime. */
export interface Claimed {
    /** Its candidates as the runtime would choose them → where it goes on: its current source first, without those it failed on. */
    _cands(cands: Source[]): Source[];
    /** Hooks the chain of its kind onto what the boot did: late events, report, deadline, blame. */
    _adopt(kind: Kind, ctx: ChainContext, row: ReportRow): void;
}
/** What the runtime takes over from the inline boot (`window.CDNBoot`). */
export interface Takeover {
    /**
     * Claims the boot's record of the resource led by `el`: undefined when the boot did not start it,
     * null when it stays the boot's (a boot of another version, which keeps failing it over itself; or,
     * loaded or failed to its end, on a source not in `sources`).
     */
    _claim(el: Element, sources: Source[]): Claimed | null | undefined;
    /** Error events of plain registered elements that happened before the runtime ran. */
    _errors: Event[];
    /**
     * The sources the boot's resources failed on, except those of a resource that failed on every source (the
     * asset's fault, not the edges', chain.ts `blamed`): down for the runtime too, until their probe answers.
     */
    _down: string[];
    /** The manifest named on the boot's tag. */
    _manifest: string;
    /** `data-mode` on the boot's tag. */
    _mode?: string | null;
    /** Whether the boot started `el` and the runtime has not claimed it yet (a plain element the boot moved: plainWatch.ts). */
    _has(el: Element): boolean;
    /** Hands `el`'s chain its first attempt `c` (a plain element still loading, runtime/plainWatch.ts): `_claim` gives it. */
    _plain: Map<Element, Claimed>;
}
/**
 * Takes over from the inline boot, if one ran: it stops the boot's observer (the runtime's own
 * watcher scans the page and binds every element from now on), and claims each element the boot
 * started when the runtime binds it, so the boot fails it over until that moment and nothing happens
 * twice. A boot of another version keeps the elements it started (the runtime leaves them be), and stops
 * taking new ones too.
 */
export declare function takeover(boot?: import("../boot/handover.js").Handover | undefined): Takeover | undefined;
