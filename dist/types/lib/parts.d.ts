import type { Source } from './manifest.js';
/** One URL-bearing attribute of a resource: `value` is the URL as written, `attr` where it goes. */
export interface Part {
    el: Element;
    attr: string;
    value: string;
}
/** Turns a URL as written into the URL on `source` (or leaves it as written when it is not registered). */
export type UrlMapper = (written: string, source: Source) => string;
/** Sets every part's attribute to its URL on `source`; `swap` redirects parts to a detached copy. */
export declare function apply(parts: Part[], source: Source, map: UrlMapper, swap?: Map<Element, Element>): void;
/** The written URL that names a resource: its src, else the first URL of its srcset. */
export declare function primary(parts: Part[]): string | undefined;
/** Reads `data-cdn-<attr>` into a part; for a plain element (`plain`), the attribute itself. */
export declare function part(el: Element, attr: string, plain?: boolean): Part | undefined;
