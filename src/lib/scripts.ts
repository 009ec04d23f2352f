import type { Kind } from './chain.js';
import { listen } from './chain.js';
import { preload, secure, type KindOptions } from './bind.js';
import type { Part } from './parts.js';

/** Scripts the loader inserted itself: their errors belong to their chain, not to plain recovery. */
export const owned = new WeakSet<Element>();

let tail: Promise<unknown> = Promise.resolve();

/**
 * A `<script data-cdn-src>`. Candidates race as preloads, which never execute; the winner is then
 * inserted as a real script once every earlier one has run or failed, so scripts execute in
 * document order and each exactly once, whichever source serves them. `async` ones skip the queue.
 */
export function scriptKind(placeholder: HTMLScriptElement, p: Part, o: KindOptions): Kind {
  const async = placeholder.hasAttribute('async');
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const turn = tail;
  if (!async) tail = turn.then(() => mine);
  const url = (s: Parameters<Kind['url']>[0]) => o.map(p.value, s);
  const kind: Kind = {
    el: placeholder,
    url,
    timed: true,
    start: (s, _live, done) => preload(url(s), placeholder.type === 'module' ? 'module' : 'script', o, done),
    async commit(s) {
      if (!async) await turn;
      const script = document.createElement('script');
      for (const a of Array.from(placeholder.attributes)) if (!/^(src|integrity|crossorigin)$/.test(a.name)) script.setAttribute(a.name, a.value);
      // A parsed nonce attribute reads as ""; the property keeps it.
      script.nonce = placeholder.nonce;
      secure(script, o);
      script.async = async;
      script.src = url(s);
      owned.add(script);
      const old = kind.el;
      if (old.isConnected) old.replaceWith(script);
      else document.head.appendChild(script);
      kind.el = script;
      return new Promise((resolve) => listen(script, resolve));
    },
    end: () => release(),
  };
  return kind;
}
