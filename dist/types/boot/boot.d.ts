/**
 * The inline boot: what must run before the first registered request can start, and nothing more.
 * It reads its tag and the manifest (inline JSON or `#id`; a manifest URL is left to the runtime),
 * the health memory, chooses each resource's source with the runtime's own choice functions, and
 * rewrites `data-cdn-*` as the parser hands elements over: images and `<picture>`s, stylesheets;
 * scripts are preloaded, and run in document order by the runtime. A plain registered image or
 * stylesheet at an edge it knows is down (remembered down, or failed on this page) it moves to its
 * own choice as if written with `data-cdn-*`; one on a healthy edge it leaves as it is (the preload
 * scanner's request is its request). On an error a resource moves to
 * its next candidate at once, the origin last. Everything it started is recorded in
 * `window.CDNBoot` for the runtime, which adds deadlines, probes, events and the API
 * (docs/first-visit.md). It only ever sets a manifest source + a registered path.
 */
export declare function startBoot(tag: HTMLScriptElement | null): void;
