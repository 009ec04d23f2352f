import type { Source } from './manifest.js';
import type { Kind } from './chain.js';
import { listen } from './chain.js';
import { preload, type KindOptions } from './bind.js';
import type { Part } from './parts.js';

/** Scripts the loader inserted itself; their errors are the chain's business, not a plain failure. */
export const owned = new WeakSet<Element>();

let tail: Promise<void> = Promise.resolve();

/** Takes the next place in document order: resolves when every earlier script has run or failed. */
function takeTurn(): { ready: Promise<void>; done: () => void } {
  let done!: () => void;
  const mine = new Promise<void>((r) => (done = r));
  const ready = tail;
  tail = tail.then(() => mine);
  return { ready, done };
}

const SKIP = /^(src|integrity|crossorigin|async|defer)$/;

/**
 * A `<script data-cdn-src>`. Candidates race as preloads, which never execute; the winner is then
 * inserted as a real script once every earlier one has run, so scripts execute in document order and
 * each exactly once, whichever source serves them. `async` scripts skip the queue.
 */
export function scriptKind(placeholder: HTMLScriptElement, p: Part, opts: KindOptions): Kind {
  const turn = placeholder.hasAttribute('async') ? { ready: Promise.resolve(), done() {} } : takeTurn();
  const module = placeholder.type === 'module';
  const url = (s: Source) => opts.map(p.value, s);
  let current: HTMLScriptElement = placeholder;
  const insert = (src: string) => {
    const s = document.createElement('script');
    for (const a of Array.from(placeholder.attributes)) if (!SKIP.test(a.name)) s.setAttribute(a.name, a.value);
    // The nonce attribute reads as "" once parsed; the property keeps it.
    if (placeholder.nonce) s.nonce = placeholder.nonce;
    if (opts.integrity) s.integrity = opts.integrity;
    if (opts.cors != null) s.crossOrigin = opts.cors;
    s.async = placeholder.hasAttribute('async');
    s.src = src;
    owned.add(s);
    if (current.isConnected) current.replaceWith(s);
    else document.head.appendChild(s);
    current = s;
    return s;
  };
  const kind: Kind = {
    element: placeholder,
    timed: true,
    url,
    start: (source, _live, done) => preload(url(source), 'script', opts, module, done),
    async commit(source) {
      await turn.ready;
      const s = insert(url(source));
      kind.element = s;
      const ok = await new Promise<boolean>((resolve) => listen(s, resolve));
      if (ok) turn.done();
      return ok;
    },
    giveUp() {
      turn.done();
    },
  };
  return kind;
}
