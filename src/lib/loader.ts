import type { CDNLoaderApi, FallbackReason, Mode, ReportRow as Row } from '../types.js';
import { MODES, ManifestError, ORIGIN, findRule, parseManifest, type Config, type Source } from './manifest.js';
import { candidates, choose, newSelection } from './select.js';
import { Health } from './health.js';
import { monitor, type Monitor } from './monitor.js';
import { ping } from './probe.js';
import { safeStore } from './store.js';
import { locate } from './urls.js';
import { loadManifest, withQuery, type Loaded, type TagOptions } from './source.js';
import { runChain, timer, type ChainContext, type Kind } from './chain.js';
import { elementKind, type KindOptions } from './bind.js';
import { owned, scriptKind } from './scripts.js';
import { parts, primary, type Part } from './parts.js';
import { emit, on } from './events.js';
import { mark } from './debug.js';
import type { Outcome } from './race.js';
import { serviceWorker } from './serviceWorker.js';

const ATTRS = ['src', 'srcset', 'href', 'poster'];
const DATA = ATTRS.map((a) => 'data-cdn-' + a);
/** The elements the loader looks after. */
export const SELECTOR = DATA.map((a) => `[${a}]`).join();

const lost = (url: string) => `cdn-loader: ${url} could not be loaded from any source`;

/** Starts the loader on this page: reads the manifest, binds elements, keeps edges probed. */
export function startLoader(o: TagOptions): CDNLoaderApi {
  const page = location.href;
  const store = safeStore(() => localStorage);
  const sel = newSelection();
  const bound = new WeakSet<Element>();
  const waiting = new Set<Element>();
  /** Plain resources that failed before the manifest was known. */
  const early: Event[] = [];
  const rows: Row[] = [];
  /** When something last finished on each source (performance.now()). */
  const progress = new Map<string, number>();
  /** Bumped when an element gets new data-cdn-* URLs: its older chain then ends silently. */
  const generation = new WeakMap<Element, number>();
  const warned = new Set<string>();
  /** Settles once a manifest (or the origin-only fallback) is in force: load() and probe() wait for it. */
  let applied!: () => void;
  const ready = new Promise<void>((r) => (applied = r));
  const opts = withQuery(o, page);
  let cfg: Config | undefined;
  let fallback = false;
  let health: Health | undefined;
  let mon: Monitor | undefined;
  let override: Mode | undefined;
  /** `?cdn=` on the page URL wins over everything, setMode() included. */
  const forced = MODES.find((m) => m === new URL(page).searchParams.get('cdn')) as Mode | undefined;

  const mode = (): Mode => (fallback ? 'off' : forced ?? override ?? cfg?.mode ?? 'always');
  const debug = () => opts.debug ?? cfg?.debug;
  const log = (...a: unknown[]) => debug() && console.info('cdn-loader:', ...a);
  const setMode = (m: unknown) => {
    if (MODES.includes(m as string)) override = m as Mode;
    else if (m !== undefined) console.error(`cdn-loader: mode ${JSON.stringify(m)} is not "always", "round-robin" or "off"`);
    syncMonitor();
  };
  const edges = () => (fallback ? [] : health?.list() ?? []);

  /** The absolute URL of a written one; only http(s) is ever set on an element. */
  const abs = (written: string) => {
    try {
      const u = new URL(written, document.baseURI).href;
      if (/^https?:/.test(u)) return u;
    } catch {
      // Not a URL at all.
    }
    return 'about:invalid';
  };
  const where = (written: string) => locate(abs(written), [cfg!.origin, ...cfg!.edges], location.origin);
  /** The URL of a written URL on `source`; an unregistered one stays as written. */
  const map = (written: string, s: Source) => {
    const l = where(written);
    return l && findRule(cfg!, l.path) ? s.url + l.path : abs(written);
  };

  /** The candidates of a registered path, or undefined when it is not registered. */
  const plan = (path: string) => {
    const rule = cfg && findRule(cfg, path);
    if (!rule) return undefined;
    const c = {
      mode: fallback ? 'off' : forced ?? override ?? rule.mode ?? cfg!.mode,
      sticky: cfg!.sticky,
      origin: cfg!.origin,
      healthy: cfg!.edges.filter((e) => health?.isUp(e.id)),
      latency: (id: string) => health?.latency(id) ?? null,
    } as const;
    return { list: candidates(c, choose(c, path, sel), cfg!.failover.retries), integrity: rule.integrity };
  };

  /**
   * Ms until a resource on `s` started at `since` is late. The clock restarts whenever anything
   * finishes on that source, so resources queued behind others (six connections per host over
   * HTTP/1.1) are not taken for a hanging edge. "auto": 3 × the edge's latency + 250 ms within
   * 400–4000 ms; while its own latency is unknown (its first ping has not answered: on a first page,
   * a hanging edge), the slowest latency measured among the other edges stands in, and 1200 ms
   * before any is known.
   */
  const remaining = (s: Source, since: number) => {
    const t = cfg!.failover.timeout;
    const known = cfg!.edges.map((e) => health?.latency(e.id) ?? -1);
    const l = health?.latency(s.id) ?? Math.max(...known);
    const ms = t !== 'auto' ? t : l < 0 ? 1200 : Math.min(4000, Math.max(400, 3 * l + 250));
    return Math.max(since, progress.get(s.id) || 0) + ms - performance.now();
  };

  const settled = (s: Source, o: Outcome | 'timeout') => {
    if (o !== 'timeout') progress.set(s.id, performance.now());
    if (s.id === ORIGIN) return;
    // Nothing finished on this edge for a whole timeout: it takes no new resources until a ping,
    // sent at once, says it is alive.
    if (o !== 'ok') health?.fail(s.id);
    if (o === 'timeout') mon?.check(s.id);
  };

  /** A response arrived (Resource Timing saw a 2xx) but the load failed: its integrity check did. */
  const answered = (url: string) =>
    performance.getEntriesByName(url).some((e) => {
      const s = (e as PerformanceResourceTiming).responseStatus;
      return s >= 200 && s < 300;
    });

  /** Runs one resource's chain. `failed`: the source a plain element already failed on. */
  const run = (list: Part[], make: (list: Part[], o: KindOptions) => Kind, failed?: Source) => {
    const written = primary(list);
    if (!written || !cfg || !/^https?:/.test(abs(written))) return;
    const path = where(written)?.path;
    const p = path === undefined ? undefined : plan(path);
    const origin = cfg.origin;
    let cands = p ? p.list : [origin];
    if (failed) cands = failed === origin ? [] : [...cands.filter((s) => s !== failed && s !== origin), origin];
    const kind = make(list, {
      map,
      integrity: p?.integrity,
      cors: p?.integrity ? 'anonymous' : list[0].el.getAttribute('crossorigin'),
      why: (url) => (p?.integrity && answered(url) ? 'integrity' : 'error'),
      nonce: opts.nonce,
    });
    const row: Row = { element: kind.el, path: path ?? written, source: '', url: '', state: 'loading', tried: [] };
    const el = kind.el;
    const gen = generation.get(el);
    const script = el instanceof HTMLScriptElement;
    if (p?.integrity && !script && !(el instanceof HTMLLinkElement) && !warned.has(row.path)) {
      warned.add(row.path);
      console.warn(`cdn-loader: ${row.path}: integrity is checked on scripts and stylesheets only`);
    }
    const img = kind.el instanceof HTMLImageElement && debug();
    const moved = (_k: Kind, from: Source, to: Source, reason: FallbackReason) => {
      if (!p) return;
      if (img && to === origin) mark(kind.el, false);
      log(`${reason}: ${kind.url(from)} → ${to.id}`);
      emit('cdn:fallback', { element: kind.el, from: from.id, to: to.id, url: kind.url(to), reason });
    };
    const ctx: ChainContext = {
      origin,
      current: () => generation.get(el) === gen,
      // An element taken out of the page may never start its load: it is not late, and says nothing of the edge.
      remaining: (s, since) => (el.isConnected || script ? remaining(s, since) : null),
      settled(s, o) {
        if (o !== 'timeout') row.tried.push(s.id);
        if (el.isConnected || script) settled(s, o);
      },
      moved,
    };
    // The report keeps the latest 1000 resources, so a long-lived page does not hold every element forever.
    if (p && rows.push(row) > 1000) rows.shift();
    if (failed && cands[0]) moved(kind, failed, cands[0], 'error');
    return runChain(kind, cands, ctx).then((win) => {
      const url = kind.url(win || origin);
      if (!ctx.current() || kind.gone) return { ok: false, element: kind.el, url };
      Object.assign(row, { element: kind.el, source: (win || origin).id, url, state: win ? 'loaded' : 'failed' });
      if (p && win) {
        if (img) mark(kind.el, win !== origin);
        log('loaded', row.path, 'from', win.id);
        emit('cdn:load', { element: kind.el, url, source: win.id });
      } else if (p) {
        console.error(lost(url));
        emit('cdn:error', { element: kind.el, url });
      }
      return { ok: !!win, element: kind.el, url };
    });
  };

  /** The `<source>`s of an image's `<picture>`, or of a media element. */
  const sources = (el: Element | null) => (el ? Array.from(el.querySelectorAll(':scope>source')) : []);
  const picture = (img: Element) => (img.parentElement instanceof HTMLPictureElement ? img.parentElement : null);

  /** Binds one element; the promise settles with it (for `load()`). */
  const bind = (el: Element, append?: boolean): ReturnType<typeof run> | false => {
    if (bound.has(el)) return;
    const parent = el.parentElement;
    if (el instanceof HTMLSourceElement) {
      const owner = parent instanceof HTMLPictureElement ? parent.querySelector('img') : parent;
      if (owner) take(owner);
      return;
    }
    const mine = (l: Part[], o: KindOptions) => elementKind(el, l, o);
    if (el instanceof HTMLScriptElement) {
      // A placeholder that left the page before the manifest came may come back; bind it then.
      if (!el.isConnected && !append) return;
      bound.add(el);
      // Where modules run, `nomodule` scripts never do (and fire no event to wait for).
      if (el.noModule && 'noModule' in el) return;
      return run(parts([el], ['src']), (l, o) => scriptKind(el, l[0], o));
    }
    if (el instanceof HTMLMediaElement && document.readyState === 'loading') {
      // The parser may hand over a <video> before its <source>s: bind it once they are all there.
      document.addEventListener('DOMContentLoaded', () => take(el));
      return;
    }
    bound.add(el);
    if (el instanceof HTMLImageElement) return run(parts([...sources(picture(el)), el], ['srcset', 'src']), mine);
    if (el instanceof HTMLLinkElement && /stylesheet/i.test(el.rel)) {
      if (append) document.head.appendChild(el);
      return run(parts([el], ['href']), mine);
    }
    if (el instanceof HTMLMediaElement) {
      run(parts([el], ['poster']), (l, o) => elementKind(el, l, o, true));
      return run(parts([el, ...sources(el)], ['src']), mine);
    }
    // Other elements are not the loader's: their data-cdn-* attributes stay as they are.
  };

  const take = (el: Element) => {
    if (owned.has(el)) return;
    if (cfg) bind(el);
    else waiting.add(el);
  };

  /** New data-cdn-* URLs on an element already bound: a new chain takes over and the old one ends quietly. */
  const retake = (el: Element) => {
    const owner = el instanceof HTMLSourceElement ? (el.parentElement instanceof HTMLPictureElement ? el.parentElement.querySelector('img') : el.parentElement) : el;
    if (owner && bound.has(owner) && !(owner instanceof HTMLScriptElement)) {
      generation.set(owner, (generation.get(owner) || 0) + 1);
      bound.delete(owner);
    }
    if (owner) take(owner);
  };

  /** A plain `src`/`href` of a registered asset failed: retry it on the next source. */
  const plainError = (e: Event) => {
    const t = e.target;
    if (!(t instanceof Element) || bound.has(t) || owned.has(t) || fallback) return;
    if (!cfg) return void early.push(e);
    const link = t instanceof HTMLLinkElement && /stylesheet/i.test(t.rel);
    const attr = t instanceof HTMLImageElement || t instanceof HTMLScriptElement ? 'src' : link ? 'href' : '';
    const url = (t as HTMLImageElement).currentSrc || t.getAttribute(attr);
    const l = url && where(url);
    if (!l || !findRule(cfg, l.path)) return;
    bound.add(t);
    const from = l.source ?? cfg.origin;
    settled(from, 'error');
    if (t instanceof HTMLScriptElement) {
      t.setAttribute('async', '');
      run(parts([t], ['src'], true), (list, o) => scriptKind(t, list[0], o), from);
    } else
      // In the next task: this error event has yet to reach its target, and a load listener added to
      // the element now would take it for the next source failing too (DOM dispatch invokes listeners
      // added to targets further along the path).
      setTimeout(() =>
        run(
          // An image in a <picture> failed on the source the browser picked: every URL of it moves.
          t instanceof HTMLImageElement ? parts([...sources(picture(t)), t], ['srcset', 'src'], true) : parts([t], ['href'], true),
          (list, o) => elementKind(t, list, o),
          from,
        ),
      );
  };

  /** Probes run while some resource may go to an edge: never in `off` mode (unless an asset says otherwise). */
  const syncMonitor = () => {
    const off = !cfg || fallback || !cfg.edges.length || (mode() === 'off' && (forced || override || !cfg.rules.some((r) => r.mode && r.mode !== 'off')));
    if (off) {
      mon?.stop();
      mon = undefined;
    }
    if (off || mon) return;
    mon = monitor({
      edges: cfg!.edges,
      health: health!,
      probe: cfg!.probe,
      ping,
      pinged: (edge, r) => emit('cdn:probe', { id: edge.id, ok: r.ok, ms: r.ms }),
      setTimer: timer,
      visible: () => document.visibilityState !== 'hidden',
    });
    void mon.round();
  };

  /** Applies a manifest; returns false when it is refused (`quiet`: a cached copy, refused silently). */
  const use = (r: Loaded, quiet?: boolean): boolean => {
    if (cfg && !fallback) return true;
    try {
      if (!r.ok) throw new ManifestError(r.error);
      cfg = parseManifest(r.value, page);
    } catch (e) {
      if (quiet) return false;
      console.error(e instanceof ManifestError ? e.message + '; every resource loads from the origin' : e);
      if (!cfg) {
        cfg = parseManifest({ mode: 'off' }, page);
        fallback = true;
        emit('cdn:ready', { mode: 'off', edges: [] });
        applied();
        flush();
      }
      return false;
    }
    fallback = false;
    health = new Health(cfg.edges, {
      ttl: cfg.probe.ttl,
      interval: cfg.probe.interval,
      store,
      now: Date.now,
      changed(s) {
        if (s.state === 'down') mon?.down(s.id);
        log(`edge ${s.id} is ${s.state}`);
        emit('cdn:edge', { id: s.id, state: s.state, latency: s.latency });
      },
    });
    syncMonitor();
    serviceWorker(r.value, cfg, health, opts.manifest);
    emit('cdn:ready', { mode: mode(), edges: edges() });
    applied();
    log('ready', mode(), edges());
    flush();
    return true;
  };

  const flush = () => {
    for (const el of waiting) bind(el);
    waiting.clear();
    early.splice(0).forEach(plainError);
  };

  // Watch the page: elements present now, parsed later, or added by scripts.
  addEventListener('error', plainError, true);
  document.addEventListener('visibilitychange', () => mon?.wake());
  const scan = (el: Element) => {
    if (el.matches(SELECTOR)) take(el);
    el.querySelectorAll(SELECTOR).forEach(take);
  };
  new MutationObserver((records) => {
    for (const r of records)
      if (r.type === 'attributes') retake(r.target as Element);
      else r.addedNodes.forEach((n) => n instanceof Element && scan(n));
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: DATA });
  scan(document.documentElement);

  setMode(opts.mode);
  const m = opts.manifest ? loadManifest(opts.manifest, page, store, document) : undefined;
  if (!m) use({ ok: false, error: 'cdn-loader: the script tag has no data-manifest' });
  else if (!m.cached || !use(m.cached, true)) {
    const wait = opts.manifestTimeout ?? 1500;
    const stop = timer(() => use({ ok: false, error: `cdn-loader: the manifest did not arrive within ${wait} ms` }), wait);
    void m.fresh.then((r) => {
      stop();
      use(r);
    });
  }

  return {
    get mode() {
      return mode();
    },
    setMode,
    edges,
    on,
    async probe() {
      await ready;
      await mon?.round();
      return edges();
    },
    resolve(path) {
      const l = cfg && where(path);
      const p = l && plan(l.path);
      return p ? p.list[0].url + l.path : abs(path);
    },
    load(path) {
      const css = /\.css([?#]|$)/.test(path);
      const el = document.createElement(css ? 'link' : 'script');
      if (css) (el as HTMLLinkElement).rel = 'stylesheet';
      else el.setAttribute('async', '');
      el.setAttribute(css ? 'data-cdn-href' : 'data-cdn-src', path);
      // Before the manifest (or its timeout) there is nothing to decide with yet.
      return ready.then(() => {
        const done = bind(el, true);
        if (!done) throw new Error(lost(path));
        return done.then((r) => (r.ok ? r.element : Promise.reject(new Error(lost(r.url)))));
      });
    },
    report() {
      console.table(rows);
      return rows;
    },
  };
}
