import type { Source } from './manifest.js';
import { mapSrcset } from './urls.js';

/** One URL-bearing attribute of a resource: `value` is the URL as written, `attr` where it goes. */
export interface Part {
  el: Element;
  attr: string;
  value: string;
}

/** Turns a URL as written into the URL on `source` (or leaves it as written when it is not registered). */
export type UrlMapper = (written: string, source: Source) => string;

/** Sets every part's attribute to its URL on `source`; `swap` redirects parts to a detached copy. */
export function apply(parts: Part[], source: Source, map: UrlMapper, swap?: Map<Element, Element>): void {
  for (const p of parts) {
    const el = swap ? swap.get(p.el) : p.el;
    if (!el) continue;
    const url = p.attr === 'srcset' ? mapSrcset(p.value, (u) => map(u, source)) : map(p.value, source);
    if (el.getAttribute(p.attr) !== url) el.setAttribute(p.attr, url);
  }
}

/** The written URL that names a resource: its src, else the first URL of its srcset. */
export function primary(parts: Part[]): string | undefined {
  const p = parts.find((x) => x.attr !== 'srcset') ?? parts[parts.length - 1];
  if (!p) return undefined;
  return p.attr === 'srcset' ? p.value.trim().split(/[\s,]+/)[0] : p.value;
}

/** Reads `data-cdn-<attr>` into a part; for a plain element (`plain`), the attribute itself. */
export function part(el: Element, attr: string, plain = false): Part | undefined {
  const value = el.getAttribute(plain ? attr : 'data-cdn-' + attr);
  return value === null || value.trim() === '' ? undefined : { el, attr, value: value.trim() };
}
