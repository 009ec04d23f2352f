import type { Kind } from '../chain/chain.js';
import { listen } from '../chain/chain.js';
import { preload, secure, type KindOptions } from './bind.js';
import type { Part } from './parts.js';
import { trusted } from './trust.js';
import { parsed } from './parsed.js';

/** Scripts the loader inserted itself: their errors belong to their chain, not to plain recovery. */
export const owned = new WeakSet<Element>();

/** The ends of the two queues: scripts run while the page is parsed, and `defer`/module ones, after it. */
const tails: Promise<unknown>[] = [];

/**
 * A `<script data-cdn-src>`. Candidates race as preloads, which never execute; the winner is then
 * inserted as a real script once every earlier one has run or failed, so scripts execute in
 * document order and each exactly once, whichever source serves them. `async` ones skip the queue;
 * `defer` and module ones queue apart and start once the page is parsed, as they would natively.
 */
export function scriptKind(placeholder: HTMLScriptElement, p: Part, o: KindOptions): Kind {
  const async = placeholder.hasAttribute('async');
  // Deferred as the browser would: a module without `async`, or `defer` (ignored on an inline placeholder's copy otherwise).
  const q = +(placeholder.type === 'module' || placeholder.defer);
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const turn = (tails[q] ??= new Promise<void>((r) => (q ? parsed(r) : r())));
  if (!async) tails[q] = turn.then(() => mine);
  const url = (s: Parameters<Kind['url']>[0]) => o._map(p._value, s);
  const placed = placeholder.isConnected;
  const kind: Kind = {
    el: placeholder,
    url,
    _timed: true,
    _start: (s, _live, done) => preload(url(s), placeholder.type === 'module' ? 'module' : 'script', o, done),
    async _commit(s) {
      if (!async) await turn;
      // A placeholder taken out of the page before its turn is skipped, as a removed script would be.
      if (placed && kind.el === placeholder && !placeholder.isConnected) return (kind._gone = true);
      const script = document.createElement('script');
      // A placeholder may be `type="text/plain"` to keep a strict CSP quiet; only "module" is kept.
      // `data-cdn-*` stays behind, so a copy of the markup (innerHTML, cloneNode) cannot run it again.
      for (const a of placeholder.attributes)
        if (!/^(src|integrity|crossorigin|type|nomodule|data-cdn-.*)$/.test(a.name)) script.setAttribute(a.name, a.value);
      if (placeholder.type === 'module') script.type = 'module';
      // Only the placeholder's own nonce (the loader checked it); a parsed nonce attribute reads as "", the property keeps it.
      script.nonce = placeholder.nonce;
      secure(script, o);
      script.async = async;
      try {
        script.src = trusted(url(s));
      } catch {
        return false;
      }
      owned.add(script);
      const old = kind.el;
      if (old.isConnected) old.replaceWith(script);
      else document.head.appendChild(script);
      kind.el = script;
      return new Promise((resolve) => listen(script, resolve));
    },
    _end: () => release(),
  };
  return kind;
}
