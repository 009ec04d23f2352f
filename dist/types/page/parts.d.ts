import type { Source } from '../manifest/manifest.js';
/** One URL-bearing attribute of a resource: `_value` is the URL as written, `_attr` where it goes. */
export interface Part {
    _el: Element;
    _attr: string;
    _value: string;
}
/** Turns a URL as written into the URL on `source` (an unregistered one stays as written). */
export type UrlMapper = (written: string, source: Source) => string;
/** Sets every part's attribute to its URL on `source`; `swap` redirects parts to a detached copy. */
export declare function apply(parts: Part[], source: Source, map: UrlMapper, swap?: Map<Element, Element>): void;
/** Reads `data-cdn-<attr>` (or, for a plain element, `<attr>`) of each element into parts. */
export declare function parts(els: Element[], attrs: string[], plain?: boolean): Part[];
/** The written URL that names a resource: the last part (an img's src) or the first URL of a srcset. */
export declare const primary: (list: Part[]) => string | undefined;
/** The `<source>`s of an image's `<picture>`, or of a media element. */
export declare const sources: (el: Element | null) => Element[];
/** `root` and every element in it, in document order. */
export declare const tree: (root: Element | ShadowRoot) => (Element | ShadowRoot)[];
/** The `<picture>` an element (an image, a `<source>`) is in, if any. */
export declare const picture: (el: Element) => Element | null;
