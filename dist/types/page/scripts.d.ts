import type { Kind } from '../chain/chain.js';
import { type KindOptions } from './bind.js';
import type { Part } from './parts.js';
/** Scripts the loader inserted itself: their errors belong to their chain, not to plain recovery. */
export declare const owned: WeakSet<Element>;
/**
 * A `<script data-cdn-src>`. Candidates race as preloads, which never execute; the winner is then
 * inserted as a real script once every earlier one has run or failed, so scripts execute in
 * document order and each exactly once, whichever source serves them. `async` ones skip the queue;
 * `defer` and module ones queue apart and start once the page is parsed, as they would natively.
 */
export declare function scriptKind(placeholder: HTMLScriptElement, p: Part, o: KindOptions): Kind;
