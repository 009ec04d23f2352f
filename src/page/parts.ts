import type { Source } from '../manifest/manifest.js';
import { mapSrcset } from '../lib/urls.js';

/** One URL-bearing attribute of a resource: `_value` is the URL as written, `_attr` where it goes. */
export interface Part {
  _el: Element;
  _attr: string;
  _value: string;
}

/** Turns a URL as written into the URL on `source` (an unregistered one stays as written). */
export type UrlMapper = (written: string, source: Source) => string;

/** Sets every part's attribute to its URL on `source`; `swap` redirects parts to a detached copy. */
export function apply(parts: Part[], source: Source, map: UrlMapper, swap?: Map<Element, Element>): void {
  for (const p of parts) {
    const url = p._attr === 'srcset' ? mapSrcset(p._value, (u) => map(u, source)) : map(p._value, source);
    const el = swap ? swap.get(p._el) : p._el;
    if (el && el.getAttribute(p._attr) !== url) el.setAttribute(p._attr, url);
  }
}

/** Reads `data-cdn-<attr>` (or, for a plain element, `<attr>`) of each element into parts. */
export function parts(els: Element[], attrs: string[], plain?: boolean): Part[] {
  const out: Part[] = [];
  for (const el of els)
    for (const attr of attrs) {
      const value = el.getAttribute(plain ? attr : 'data-cdn-' + attr)?.trim();
      if (value) out.push({ _el: el, _attr: attr, _value: value });
    }
  return out;
}

/** The written URL that names a resource: the last part (an img's src) or the first URL of a srcset. */
export const primary = (list: Part[]): string | undefined => {
  const p = list[list.length - 1];
  return p && (p._attr === 'srcset' ? p._value.split(/[\s,]+/)[0] : p._value);
};

/** The `<source>`s of an image's `<picture>`, or of a media element. */
export const sources = (el: Element | null): Element[] => (el ? [...el.querySelectorAll(':scope>source')] : []);
/** `root` and every element in it, in document order. */
export const tree = (root: Element | ShadowRoot): (Element | ShadowRoot)[] => [root, ...root.querySelectorAll('*')];

/** The `<picture>` an element (an image, a `<source>`) is in, if any. */
export const picture = (el: Element): Element | null => (el.parentElement instanceof HTMLPictureElement ? el.parentElement : null);
