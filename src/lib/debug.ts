const MARK = ' [CDN]';
const originals = new WeakMap<Element, { alt: string | null; title: string | null }>();

/**
 * Debug marking: an image served by an edge gets " [CDN]" after its alt and its title (an image
 * without a title gets its alt plus the mark); one served by the origin gets its own text back.
 * Always computed from the original text, so the mark never appears twice.
 */
export function mark(img: Element, edge: boolean): void {
  let o = originals.get(img);
  if (!o) {
    if (!edge) return;
    o = { alt: img.getAttribute('alt'), title: img.getAttribute('title') };
    originals.set(img, o);
  }
  const restore = (name: 'alt' | 'title', value: string | null) =>
    value === null ? img.removeAttribute(name) : img.setAttribute(name, value);
  if (edge) {
    img.setAttribute('alt', (o.alt ?? '') + MARK);
    img.setAttribute('title', (o.title ?? o.alt ?? '') + MARK);
  } else {
    restore('alt', o.alt);
    restore('title', o.title);
  }
}

/** Logs a decision when debug is on. */
export function log(enabled: boolean, ...args: unknown[]): void {
  if (enabled) console.info('cdn-loader:', ...args);
}
