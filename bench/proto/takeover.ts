// Prototype of how the runtime takes over what the boot started (issue 14) — NOT part of the build.
// bench/firstVisit.ts prepends it to dist/cdn-loader.js as the page's async "runtime". It adds what
// the boot leaves out: deadlines for edges that never answer (counted from when the boot started each
// request, restarted by any load on that source, as the runtime's own deadline is), switching every
// waiting element of a dead edge at once, and the ordered execution of scripts the boot preloaded.
// In the real split this is the runtime's first step: every boot record becomes a chain that starts
// at its current source, already `t` ms old.
import type { Boot, BootRecord } from './boot.js';

(() => {
  const boot = window.__cdnBoot;
  if (!boot) return;
  // "auto" before any latency is known, as the runtime's: 1200 ms.
  const WAIT = 1200;
  const lastDone = (from: string) => boot.records.reduce((t, r) => (r.from === from && r.done > t ? r.done : t), 0);
  const check = (r: BootRecord) => {
    if (r.done || r.from === boot.origin) return;
    const due = Math.max(r.t, lastDone(r.from)) + WAIT - performance.now();
    if (due > 0) return void setTimeout(() => check(r), due);
    // Nothing finished on this source for a whole deadline: it is down, and every element waiting on it moves now.
    const dead = r.from;
    for (const x of boot.records) if (!x.done && x.from === dead) boot.fail(x);
  };
  const scripts: (BootRecord & { placeholder?: Element })[] = [];
  let running = false;
  /** Executes preloaded scripts in document order, each once, from the source its preload ended on. */
  const run = async () => {
    if (running) return;
    running = true;
    while (scripts.length) {
      const r = scripts.shift()!;
      while (!r.done && r.from !== boot.origin) await new Promise((ok) => setTimeout(ok, 50));
      const s = document.createElement('script');
      s.async = false;
      s.src = r.from + r.path;
      const ran = new Promise((ok) => {
        s.onload = s.onerror = ok;
      });
      r.placeholder?.replaceWith(s);
      await ran;
    }
    running = false;
  };
  const watch = (r: BootRecord) => {
    check(r);
    if (r.script) scripts.push(r), void run();
  };
  // The boot fails over on errors itself; the runtime (dist/cdn-loader.js, after this) must not see
  // those elements' errors as plain ones and retry them a second time.
  const mine = new WeakSet<Element>();
  addEventListener(
    'error',
    (e) => {
      if (e.target instanceof Element && mine.has(e.target)) e.stopImmediatePropagation(), boot.fail(boot.records.find((r) => r.el === e.target)!);
    },
    true,
  );
  const own = (r: BootRecord) => (mine.add(r.el), watch(r));
  // The runtime rule the split needs, patched in for the prototype only: a probe that timed out on
  // an edge which is delivering this page's resources (one finished within the last 3 s) says the
  // link is busy, not that the edge is down. Without it, on a slow link the probe waits behind the
  // page's own images (six connections per host), times out, and the next visit moves to another
  // edge and loses the HTTP cache.
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (this: Storage, k: string, v: string) {
    if (k === 'cdn-loader:health')
      try {
        const h = JSON.parse(v);
        for (const url in h) {
          const t = lastDone(url);
          if (!h[url][0] && t && t > performance.now() - 3000) h[url][0] = 1;
        }
        v = JSON.stringify(h);
      } catch {
        // Leave it as it was.
      }
    return set.call(this, k, v);
  };
  boot.records.forEach(own);
  boot.on = own;
})();

export type { Boot };
