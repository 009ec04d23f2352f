import type { EventMap, EventName } from '../types.js';
/** An event name with or without its `cdn:` prefix. */
export type EventKey = EventName | (EventName extends `cdn:${infer S}` ? S : never);
/** The full event name of an `EventKey`. */
export type FullName<N extends EventKey> = N extends EventName ? N : `cdn:${N}` & EventName;
/** Dispatches a cdn-loader event on `document`; a listener that throws cannot break the loader. */
export declare function emit<K extends EventName>(name: K, detail: EventMap[K]): void;
/** Listens to a cdn-loader event (`"load"` or `"cdn:load"`); returns the function that stops listening. */
export declare function on<N extends EventKey>(name: N, fn: (detail: EventMap[FullName<N>], event: CustomEvent<EventMap[FullName<N>]>) => void): () => void;
