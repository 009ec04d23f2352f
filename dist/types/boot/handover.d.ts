/**
 * What the inline boot hands the runtime (`window.CDNBoot`). Boot and runtime are separate files
 * that a site may deploy at different times, so this is a protocol: its names are never mangled,
 * and `v` says which version of it the boot speaks. A runtime that does not speak it leaves the
 * boot's elements to the boot (which keeps failing them over on errors, to the origin last).
 */
export interface Handover {
    /** The protocol's version: HANDOVER. */
    v: number;
    /** The manifest as the boot's tag gives it (`data-manifest`): the runtime's tag may leave it out. */
    manifest: string;
    /** `data-mode` of the boot's tag, which its choices followed: the runtime's tag may leave it out. */
    mode?: string | null;
    /** One record per resource the boot started, in the order it started them. */
    records: BootRecord[];
    /** Error events of plain registered elements (`src`/`href` as written), for the runtime's recovery. */
    errors: Event[];
    /** The runtime took over: the boot stops watching the page and collecting errors. */
    stop(): void;
}
/** One resource the boot started. */
export interface BootRecord {
    /** The element that leads it: an `<img>`, a stylesheet `<link>`, a `<script data-cdn-src>` placeholder. */
    el: Element;
    /** Its asset path, e.g. "/img/hero.jpg". */
    path: string;
    /** The id of the source it loads from now ("origin" or an edge id). */
    from: string;
    /** performance.now() when it started on `from`. */
    t: number;
    /** performance.now() when it loaded; 0 while loading; -1 when every source failed. */
    done: number;
    /** Ids of the sources it failed on, in order. */
    failed: string[];
    /** A script's preload (the boot never runs scripts: the runtime runs them in document order, from this preload). */
    link?: HTMLLinkElement;
    /** Set by the runtime when it takes the resource over: from then on the boot leaves it alone. */
    taken?: boolean;
}
/** The version of the handover that this build speaks. */
export declare const HANDOVER = 1;
declare global {
    interface Window {
        /** Set by the inline boot (`dist/cdn-loader-boot.js`) for the runtime. */
        CDNBoot?: Handover;
    }
}
