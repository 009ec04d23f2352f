const originals = new WeakMap<Element, (string | null)[]>();

/**
 * Debug marking: an image served by an edge gets " [CDN]" after its alt and its title (one without a
 * title gets its alt plus the mark); served by the origin, it gets its own text back. Always computed
 * from the original text, so the mark never appears twice.
 */
export function mark(img: Element, edge: boolean): void {
  const o = originals.get(img) ?? ['alt', 'title'].map((a) => img.getAttribute(a));
  originals.set(img, o);
  const [alt, title] = o;
  const set = (name: string, v: string | null) => (v === null ? img.removeAttribute(name) : img.setAttribute(name, v));
  set('alt', edge ? (alt ?? '') + ' [CDN]' : alt);
  set('title', edge ? (title ?? alt ?? '') + ' [CDN]' : title);
}
