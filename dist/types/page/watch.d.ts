import type { Kind } from '../chain/chain.js';
import { type KindOptions } from './bind.js';
import { type Part } from './parts.js';
/** The elements the loader looks after. */
export declare const SELECTOR: string;
/** What the page watcher needs from the loader. */
export interface WatchHooks<R> {
    /** Whether the manifest is in force: until then, elements wait. */
    _ready(): boolean;
    /** Runs one resource's chain. */
    _run(list: Part[], make: (list: Part[], o: KindOptions) => Kind): R | undefined;
    /** Binds a script (scripts keep their document order: the loader's own business). */
    _script(el: HTMLScriptElement, append?: boolean): R | undefined;
    /** Told of every element as it is found, before it waits for the manifest or is bound. */
    _seen(el: Element): void;
}
/** The page watcher of one loader. */
export interface Watcher<R> {
    /** Elements bound, each with a token made when it was bound: `[the data-cdn-* values it was bound with]`. */
    _bound: WeakMap<Element, string[]>;
    /** Binds one element (`append`: a stylesheet `load()` made, added to `<head>`); the chain's result, if one started. */
    _bind(el: Element, append?: boolean): R | undefined;
    /** Binds the elements that waited for the manifest. */
    _flush(): void;
    /** A function that stays true until `el` is bound again (given new data-cdn-* URLs: a newer chain then owns it). */
    _current(el: Element): () => boolean;
}
/**
 * Watches the page for elements with data-cdn-* attributes: present now, parsed later, added by
 * scripts, given new values, and inside open shadow roots (declarative ones and web components'),
 * which neither a MutationObserver on the document nor querySelectorAll reaches.
 */
export declare function watch<R>(o: WatchHooks<R>): Watcher<R>;
