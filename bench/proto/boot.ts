// Prototype of the inlinable boot of issue 14 — NOT part of the build and not wired into src/.
// bench/firstVisit.ts bundles it with esbuild and inlines it in a page's <head>, after the manifest
// (`<script type="application/json" id="cdn-manifest">`). It does only what must happen before the
// first registered request can start: read the manifest and the health memory, choose a source, and
// rewrite every data-cdn-* element as the parser hands it over, recording what it started. What it
// leaves to the runtime (./takeover.ts here): deadlines for hanging edges, hedges, probes, events,
// the API, the ordered execution of scripts. It fails over on an error itself (one line), so a
// refused edge costs no wait for the runtime.
//
// Prototype shortcuts (each noted in docs/first-visit.md with its estimated cost in the real boot):
// `always` and `off` modes only (round-robin/sticky: the runtime's choice functions would be shared),
// <img>/<link>/<script> only (no <picture>/<video>), per-asset `mode` only as "off".

/** What the boot leaves for the runtime: one record per element it started. */
export interface BootRecord {
  el: Element;
  /** The path the element loads, e.g. "/img/3.jpg". */
  path: string;
  /** The source it loads from now (a base URL without trailing slash). */
  from: string;
  /** performance.now() when it started there. */
  t: number;
  /** performance.now() when it loaded; 0 while loading. */
  done: number;
  /** Sources it failed on, in order. */
  failed: string[];
  /** A `<script data-cdn-src>`: the boot only preloads it; the runtime executes scripts in order. */
  script?: boolean;
}

export interface Boot {
  records: BootRecord[];
  origin: string;
  edges: { id: string; url: string }[];
  /** Moves a record to `to` (sets its URLs there). */
  go(r: BootRecord, to: string): void;
  /** A record failed on its source: the next healthy edge (one retry, as `failover.retries` 1) or the origin takes it, and the edge is remembered down. */
  fail(r: BootRecord): void;
  /** Set by the runtime: called with every record made after it took over. */
  on?: (r: BootRecord) => void;
}

declare global {
  interface Window {
    __cdnBoot?: Boot;
  }
}

(() => {
  const KEY = 'cdn-loader:health';
  const tag = document.currentScript!;
  const spec = tag.getAttribute('data-manifest') || '';
  const now = Date.now();
  let m: any;
  try {
    m = JSON.parse(spec[0] === '#' ? document.getElementById(spec.slice(1))!.textContent! : spec);
  } catch {
    // No usable manifest: the runtime reports it and loads everything from the origin.
    return;
  }
  const base = (u: string) => new URL(u, location.href).href.replace(/\/$/, '');
  const origin = base((m.origin && m.origin.url) || m.origin || location.origin);
  const edges: { id: string; url: string }[] = (m.edges || []).map((e: any) => {
    const url = base(e.url || e);
    return { id: e.id || new URL(url).host, url };
  });
  let saved: Record<string, [number, number | null, number, number]> = {};
  try {
    saved = JSON.parse(localStorage.getItem(KEY)!) || {};
  } catch {
    // Storage blocked: choose as on a first visit.
  }
  const ttl = (m.probe && m.probe.ttl) ?? 3e5;
  const memory = (url: string) => {
    const s = saved[url];
    return Array.isArray(s) && now >= s[3] && now - s[3] < ttl ? s : undefined;
  };
  // `always`: the edge this browser used last while it stays healthy (its HTTP cache holds that
  // edge's copies), else the healthy edge with the best remembered latency, else the first healthy one.
  let pick = '';
  let best = Infinity;
  let last: string | null = null;
  try {
    last = localStorage.getItem(KEY + ':last');
  } catch {
    // As above.
  }
  for (const e of edges) {
    const s = memory(e.url);
    if (s && !s[0]) continue;
    const l = e.url === last ? -1 : s && s[1] != null ? s[1] : 1e9;
    if (!pick || l < best) (pick = e.url), (best = l);
  }
  try {
    if (pick) localStorage.setItem(KEY + ':last', pick);
  } catch {
    // As above.
  }
  const q = new URLSearchParams(location.search).get('cdn');
  const mode = q || tag.getAttribute('data-mode') || m.mode || 'always';
  if (mode === 'off' || !pick) pick = origin;

  // Manifest rules: "/dir/" a prefix, "*" within a segment, "**" across; objects may say mode "off".
  const rules = (m.assets || []).map((a: any) => {
    const p: string = a.path || a;
    const re = new RegExp('^' + p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*?/g, (s) => (s[1] ? '.*' : '[^/]*')) + (p.endsWith('/') ? '' : '$'));
    return { re, off: a.mode === 'off' };
  });
  const sources = [origin, ...edges.map((e) => e.url)];

  const records: BootRecord[] = [];
  const boot: Boot = {
    records,
    origin,
    edges,
    go(r, to) {
      r.from = to;
      r.t = performance.now();
      const url = to + r.path;
      const el = r.el;
      if (el instanceof HTMLLinkElement) el.href = url;
      else {
        (el as HTMLImageElement).removeAttribute('srcset');
        (el as HTMLImageElement).src = url;
      }
    },
    fail(r) {
      if (r.from === origin) return;
      r.failed.push(r.from);
      saved[r.from] = [0, null, 1, Date.now()];
      try {
        localStorage.setItem(KEY, JSON.stringify(saved));
      } catch {
        // Only a cache.
      }
      const next = r.failed.length < 2 && edges.find((e) => !r.failed.includes(e.url) && !down(e.url));
      boot.go(r, next ? next.url : origin);
    },
  };
  window.__cdnBoot = boot;

  const ATTRS = ['src', 'srcset', 'href'];
  // Plain images too: the page may keep plain edge URLs on its images (see take()).
  const SEL = ATTRS.map((a) => `[data-cdn-${a}]`).join() + ',img[src]';
  /** Where a URL as written points (`from`: origin or edge) and its URL on `to`, if the manifest registers it. */
  const on = (written: string, to: string) => {
    const u = new URL(written, document.baseURI).href;
    for (const from of sources)
      if (u.startsWith(from + '/')) {
        const path = u.slice(from.length);
        const rule = rules.find((x: { re: RegExp }) => x.re.test(path));
        return rule && { from, path, url: (rule.off ? origin : to) + path };
      }
  };
  const down = (url: string) => saved[url] && !saved[url][0];

  const take = (el: Element) => {
    const script = el instanceof HTMLScriptElement;
    const plain = el instanceof HTMLImageElement && !el.hasAttribute('data-cdn-src');
    if (plain) {
      // A plain <img src> at an edge: the preload scanner has already asked for it, which keeps a
      // healthy first visit as fast as a plain page. The boot records it, moves it off an edge it
      // remembers down, and fails it over on an error; the runtime adds its deadline.
      const at = on(el.getAttribute('src') || '', '');
      if (!at || at.from === origin) return;
      const r: BootRecord = { el, path: at.path, from: at.from, t: performance.now(), done: 0, failed: [] };
      const img = el as HTMLImageElement;
      if (img.complete && img.naturalWidth) r.done = r.t;
      el.addEventListener('load', () => (r.done = performance.now()));
      el.addEventListener('error', () => boot.fail(r));
      records.push(r);
      if (down(r.from)) boot.fail(r);
      boot.on?.(r);
      return;
    }
    const written = el.getAttribute(script || el instanceof HTMLImageElement ? 'data-cdn-src' : 'data-cdn-href');
    const target = written && on(written, pick);
    if (!target) return;
    const r: BootRecord = { el, path: target.path, from: target.url.slice(0, -target.path.length), t: performance.now(), done: 0, failed: [] };
    // The data-cdn-* attributes move out of the way, so that the runtime's own scan leaves the element to its record.
    for (const a of ATTRS) {
      const v = el.getAttribute('data-cdn-' + a);
      if (v === null) continue;
      el.removeAttribute('data-cdn-' + a);
      if (script) continue;
      el.setAttribute(a, a === 'srcset' ? v.replace(/(^|,)\s*(\S+)/g, (_s, c, u) => c + (on(u, r.from)?.url || u)) : target.url);
    }
    let loading: Element = el;
    if (script) {
      // Preloaded now, executed in document order by the runtime.
      r.script = true;
      const link = document.createElement('link');
      link.rel = 'preload';
      link.as = 'script';
      link.href = target.url;
      document.head.appendChild(link);
      r.el = loading = link;
      (r as BootRecord & { placeholder: Element }).placeholder = el;
    }
    loading.addEventListener('load', () => (r.done = performance.now()));
    loading.addEventListener('error', () => boot.fail(r));
    records.push(r);
    boot.on?.(r);
  };
  const scan = (n: Node) => {
    if (!(n instanceof Element)) return;
    if (n.matches(SEL)) take(n);
    n.querySelectorAll(SEL).forEach(take);
  };
  new MutationObserver((list) => list.forEach((x) => x.addedNodes.forEach(scan))).observe(document, { childList: true, subtree: true });
  scan(document.documentElement);
})();
