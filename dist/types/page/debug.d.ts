/**
 * Debug marking: an image served by an edge gets " [CDN]" after its alt and its title (one without a
 * title gets its alt plus the mark); served by the origin, it gets its own text back. Always computed
 * from the original text, so the mark never appears twice.
 */
export declare function mark(img: Element, edge: boolean): void;
