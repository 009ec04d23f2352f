import type { EventKey, EventMap, EventName, FullName } from '../types.js';

/** Dispatches a cdn-loader event on `document`; a listener that throws cannot break the loader. */
export function emit<K extends EventName>(name: K, detail: EventMap[K]): void {
  try {
    document.dispatchEvent(new CustomEvent(name, { detail }));
  } catch {
    // CustomEvent missing in a very old browser: events are a convenience, loading goes on.
  }
}

/** The message of a resource no source could serve (`cdn:error`, and `load()`'s rejection). */
export const lost = (url: string) => `cdn-loader: ${url} could not be loaded from any source`;

/** Listens to a cdn-loader event (`"load"` or `"cdn:load"`); returns the function that stops listening. */
export function on<N extends EventKey>(name: N, fn: (detail: EventMap[FullName<N>], event: CustomEvent<EventMap[FullName<N>]>) => void): () => void {
  const type = name.startsWith('cdn:') ? name : 'cdn:' + name;
  const listener = (e: Event) => fn((e as CustomEvent).detail, e as CustomEvent);
  document.addEventListener(type, listener);
  return () => document.removeEventListener(type, listener);
}
