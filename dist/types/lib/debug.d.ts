/**
 * Debug marking: an image served by an edge gets " [CDN]" after its alt and its title (an image
 * without a title gets its alt plus the mark); one served by the origin gets its own text back.
 * Always computed from the original text, so the mark never appears twice.
 */
export declare function mark(img: Element, edge: boolean): void;
/** Logs a decision when debug is on. */
export declare function log(enabled: boolean, ...args: unknown[]): void;
