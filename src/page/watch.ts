import type { Kind } from '../chain/chain.js';
import { elementKind, type KindOptions } from './bind.js';
import { parts, picture, sources, tree, type Part } from './parts.js';
import { owned } from './scripts.js';
import { parsed } from './parsed.js';

const DATA = ['src', 'srcset', 'href', 'poster'].map((a) => 'data-cdn-' + a);
/** The elements the loader looks after. */
export const SELECTOR = DATA.map((a) => `[${a}]`).join();


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
export function watch<R>(o: WatchHooks<R>): Watcher<R> {
  const bound = new WeakMap<Element, string[]>();
  const waiting = new Set<Element>();

  /** The image or media element a `<source>` belongs to. */
  const owner = (source: Element) => {
    const p = picture(source);
    return p ? p.querySelector('img') : source.parentElement;
  };
  /** Every data-cdn-* value an element loads with, its `<source>`s' included. */
  const stamp = (el: Element) => [el, ...sources(picture(el) || el)].map((e) => DATA.map((a) => e.getAttribute(a))).join();

  const bind = (el: Element, append?: boolean): R | undefined => {
    if (bound.has(el)) return;
    if (el instanceof HTMLSourceElement) {
      const img = owner(el);
      if (img) take(img);
      return;
    }
    if (el instanceof HTMLScriptElement) return o._script(el, append);
    // The parser may hand over a <video> before its <source>s: it is bound when the page has been parsed.
    if (el instanceof HTMLMediaElement && document.readyState === 'loading') return;
    bound.set(el, [stamp(el)]);
    const mine = (l: Part[], k: KindOptions) => elementKind(el, l, k);
    if (el instanceof HTMLImageElement) return o._run(parts([...sources(picture(el)), el], ['srcset', 'src']), mine);
    if (el instanceof HTMLLinkElement && /stylesheet/i.test(el.rel)) {
      if (append) document.head.appendChild(el);
      return o._run(parts([el], ['href']), mine);
    }
    if (el instanceof HTMLMediaElement) {
      o._run(parts([el], ['poster']), (l, k) => elementKind(el, l, k, true));
      return o._run(parts([el, ...sources(el)], ['src']), mine);
    }
    // Other elements are not the loader's: their data-cdn-* attributes stay as they are.
  };

  const take = (el: Element) => {
    if (owned.has(el)) return;
    o._seen(el);
    if (o._ready()) bind(el);
    else waiting.add(el);
  };

  /** New data-cdn-* URLs on an element already bound: a new chain takes over and the old one ends quietly. */
  const retake = (el: Element) => {
    const target = el instanceof HTMLSourceElement ? owner(el) : el;
    if (target && bound.has(target) && !(target instanceof HTMLScriptElement)) {
      // A re-render writing the same values again (frameworks, jQuery) changes nothing.
      if (bound.get(target)![0] === stamp(target)) return;
      bound.delete(target);
    }
    if (target) take(target);
  };

  const observer = new MutationObserver((records) => {
    for (const r of records)
      if (r.type === 'attributes') retake(r.target as Element);
      else r.addedNodes.forEach((n) => n instanceof Element && scan(n));
  });
  const observe = (root: Node) => observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: DATA });

  /** Takes every registered element in `root`, and in the open shadow roots within it, which are watched from then on. */
  const scan = (root: Element | ShadowRoot) => {
    for (const el of tree(root) as Element[]) {
      // (A shadow root itself has no matches().)
      if (el.matches?.(SELECTOR)) take(el);
      if (el.shadowRoot) {
        observe(el.shadowRoot);
        scan(el.shadowRoot);
      }
    }
  };
  const all = () => scan(document.documentElement);

  observe(document);
  all();
  // Look again once the page is parsed: media get their <source>s, and shadow roots attached after
  // their host was seen are found (declarative ones, and those of components defined by module scripts).
  if (document.readyState === 'loading') parsed(all);

  return {
    _bound: bound,
    _bind: bind,
    _flush() {
      for (const el of waiting) bind(el);
      waiting.clear();
    },
    _current(el) {
      const token = bound.get(el);
      return () => bound.get(el) === token;
    },
  };
}
