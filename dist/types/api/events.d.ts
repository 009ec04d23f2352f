import type { EventKey, EventMap, EventName, FullName } from '../types.js';
/** Dispatches a cdn-loader event on `document`; a listener that throws cannot break the loader. */
export declare function emit<K extends EventName>(name: K, detail: EventMap[K]): void;
/** The message of a resource no source could serve (`cdn:error`, and `load()`'s rejection). */
export declare const lost: (url: string) => string;
/** Listens to a cdn-loader event (`"load"` or `"cdn:load"`); returns the function that stops listening. */
export declare function on<N extends EventKey>(name: N, fn: (detail: EventMap[FullName<N>], event: CustomEvent<EventMap[FullName<N>]>) => void): () => void;
