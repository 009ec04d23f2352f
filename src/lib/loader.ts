import type { EdgeStatus, InitOptions, Manifest, Mode } from '../types.js';
import { ManifestError, ORIGIN, findRule, originOnly, parseManifest, type Config, type Source } from './manifest.js';
import { candidates, choose, newSelection, type Choice } from './select.js';
import { Health } from './health.js';
import { monitor, type Monitor } from './monitor.js';
import { ping } from './probe.js';
import { safeStore } from './store.js';
import { locate } from './urls.js';
import { loadManifest, withQuery, type Loaded, type TagOptions } from './source.js';
import { runChain, type ChainContext, type Kind } from './chain.js';
import { imageKind, imageParts, isEdge, mediaKind, mediaParts, posterKind, styleKind, type KindOptions } from './bind.js';
import { owned, scriptKind } from './scripts.js';
import { apply, part, primary, type Part } from './parts.js';
import { emit } from './events.js';
import { log, mark } from './debug.js';
import type { Outcome } from './race.js';

/** Elements the loader looks after. */
export const SELECTOR = '[data-cdn-src],[data-cdn-srcset],[data-cdn-href],[data-cdn-poster]';
const MODES = ['always', 'round-robin', 'off'];
/** Failover timeout before an edge's latency is known, and the bounds of the derived one (ms). */
const FIRST_TIMEOUT = 1200;
const MIN_TIMEOUT = 400;
const MAX_TIMEOUT = 4000;

interface Row {
  element: Element;
  path: string;
  source: string;
  url: string;
  state: 'loading' | 'loaded' | 'failed';
  tried: string[];
}

const timer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** One loader per page: reads the manifest, binds elements, keeps edges probed. */
export class Loader {
  private _config: Config | null = null;
  private _fallback = false;
  private _override?: Mode;
  private _debugOverride?: boolean;
  private _health?: Health;
  private _monitor?: Monitor;
  private _sel = newSelection();
  private _bound = new WeakSet<Element>();
  private _waiting = new Set<Element>();
  /** Plain resources that failed before the manifest was known. */
  private _early: Event[] = [];
  private _rows: Row[] = [];
  private _progress = new Map<string, number>();
  private _store = safeStore(() => window.localStorage);
  private _page = location.href;
  private _pageOrigin = location.origin;

  /** Starts the loader; never throws into the page. */
  start(o: TagOptions | InitOptions): void {
    const opts = withQuery(o as TagOptions, this._page);
    if (opts.mode !== undefined) {
      if (MODES.includes(opts.mode)) this._override = opts.mode as Mode;
      else console.error(`cdn-loader: mode ${JSON.stringify(opts.mode)} is not one of "always", "round-robin", "off"; using the manifest's mode`);
    }
    this._debugOverride = opts.debug;
    this._watchDom();
    if (opts.manifest === null || opts.manifest === undefined || opts.manifest === '') {
      console.error('cdn-loader: no manifest: add data-manifest="/cdn-manifest.json" to the script tag; loading everything from the origin');
      this._apply({ ok: false, error: '' });
      return;
    }
    const m = loadManifest(opts.manifest as string | Manifest, this._page, this._store, document);
    if (m.cached && this._apply(m.cached, true)) {
      void m.fresh;
      return;
    }
    const wait = opts.manifestTimeout ?? 1500;
    const stop = timer(() => {
      if (this._config) return;
      console.error(`cdn-loader: the manifest did not arrive within ${wait} ms; loading from the origin meanwhile`);
      this._useFallback();
    }, wait);
    void m.fresh.then((r) => {
      stop();
      this._apply(r);
    });
  }

  /** Applies a loaded manifest; returns false when it is refused. */
  private _apply(r: Loaded, quietly = false): boolean {
    if (this._config && !this._fallback) return true;
    let config: Config;
    try {
      if (!r.ok) throw new ManifestError(r.error);
      config = parseManifest(r.value, this._page);
    } catch (e) {
      if (quietly) return false;
      if (e instanceof ManifestError) {
        if (e.message) console.error(e.message + '; every resource loads from the origin');
      } else console.error('cdn-loader: the manifest could not be read; every resource loads from the origin', e);
      this._useFallback();
      return false;
    }
    this._config = config;
    this._fallback = false;
    this._health = new Health(config.edges, {
      ttl: config.probe.ttl,
      interval: config.probe.interval,
      store: this._store,
      now: () => Date.now(),
      changed: (s) => {
        emit('cdn:edge', { id: s.id, state: s.state, latency: s.latency });
        this._log(`edge ${s.id} is ${s.state}`, s.latency === null ? '' : `(${s.latency} ms)`);
      },
    });
    this._ensureMonitor();
    emit('cdn:ready', { mode: this.mode, edges: this.edges() });
    this._log('ready:', this.mode, this.edges());
    this._flush();
    return true;
  }

  private _useFallback(): void {
    if (this._config) return;
    this._config = originOnly(this._page);
    this._fallback = true;
    emit('cdn:ready', { mode: 'off', edges: [] });
    this._flush();
  }

  private _flush(): void {
    const list = [...this._waiting];
    this._waiting.clear();
    for (const el of list) this._bind(el);
    for (const e of this._early.splice(0)) this._plainError(e);
  }

  private _ensureMonitor(): void {
    const c = this._config;
    if (this._monitor || !c || this._fallback || !c.edges.length) return;
    const anyOn = this.mode !== 'off' || (!this._override && c.rules.some((r) => r.mode && r.mode !== 'off'));
    if (!anyOn) return;
    this._monitor = monitor({
      edges: c.edges,
      health: this._health!,
      probe: c.probe,
      ping,
      pinged: (edge, r) => emit('cdn:probe', { id: edge.id, ok: r.ok, ms: r.ms }),
      setTimer: timer,
      visible: () => document.visibilityState !== 'hidden',
    });
    document.addEventListener('visibilitychange', () => this._monitor?.wake());
    void this._monitor.round();
  }

  private _watchDom(): void {
    document.addEventListener('error', (e) => this._plainError(e), true);
    const seen = (el: Element) => {
      if (el.matches(SELECTOR)) this._take(el);
      for (const child of Array.from(el.querySelectorAll(SELECTOR))) this._take(child);
    };
    try {
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'attributes') this._take(r.target as Element);
          else for (const n of Array.from(r.addedNodes)) if (n instanceof Element) seen(n);
        }
      }).observe(document.documentElement, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['data-cdn-src', 'data-cdn-srcset', 'data-cdn-href', 'data-cdn-poster'],
      });
    } catch {
      // No MutationObserver: elements present at start (and on DOMContentLoaded) are still handled.
    }
    seen(document.documentElement);
    document.addEventListener('DOMContentLoaded', () => seen(document.documentElement));
  }

  private _take(el: Element): void {
    if (this._bound.has(el) || owned.has(el)) return;
    if (this._config) this._bind(el);
    else this._waiting.add(el);
  }

  get mode(): Mode {
    return this._fallback ? 'off' : this._override ?? this._config?.mode ?? 'always';
  }

  setMode(mode: Mode): void {
    if (!MODES.includes(mode)) {
      console.error(`cdn-loader: setMode(${JSON.stringify(mode)}): use "always", "round-robin" or "off"`);
      return;
    }
    this._override = mode;
    this._ensureMonitor();
    this._log('mode', mode);
  }

  private get _debug(): boolean {
    return this._debugOverride ?? this._config?.debug ?? false;
  }

  private _log(...args: unknown[]): void {
    log(this._debug, ...args);
  }

  edges(): EdgeStatus[] {
    return this._fallback ? [] : this._health?.list() ?? [];
  }

  /** Resolves once every edge has been pinged; with the edges' state. */
  async probe(): Promise<EdgeStatus[]> {
    await this._monitor?.round();
    return this.edges();
  }

  private _sources(): Source[] {
    const c = this._config!;
    return [c.origin, ...c.edges];
  }

  private _locate(written: string): { source?: Source; path: string } | undefined {
    let abs: string;
    try {
      abs = new URL(written, document.baseURI).href;
    } catch {
      return undefined;
    }
    return locate(abs, this._sources(), this._pageOrigin);
  }

  /** The URL of `written` on `source`; a URL that is not registered stays as written. */
  private _map = (written: string, source: Source): string => {
    const loc = this._locate(written);
    if (loc && findRule(this._config!, loc.path)) return source.url + loc.path;
    try {
      return new URL(written, document.baseURI).href;
    } catch {
      return written;
    }
  };

  /** Candidates for a registered path, or undefined when it is not registered. */
  private _plan(path: string): { list: Source[]; integrity?: string } | undefined {
    const c = this._config;
    if (!c) return undefined;
    const rule = findRule(c, path);
    if (!rule) return undefined;
    const mode = this._fallback ? 'off' : this._override ?? rule.mode ?? c.mode;
    const h = this._health;
    const choice: Choice = {
      mode,
      sticky: c.sticky,
      origin: c.origin,
      healthy: h ? c.edges.filter((e) => h.isUp(e.id)) : [],
      latency: (id) => h?.latency(id) ?? null,
    };
    const chosen = choose(choice, path, this._sel);
    return { list: candidates(choice, chosen, c.failover.retries), integrity: rule.integrity };
  }

  /** The URL the loader would use for `path` now. */
  resolve(path: string): string {
    if (!this._config) return this._map(path, { id: ORIGIN, url: this._pageOrigin, weight: 1 });
    const loc = this._locate(path);
    const plan = loc && this._plan(loc.path);
    return plan ? plan.list[0].url + loc.path : this._map(path, this._config.origin);
  }

  /** Loads a script or stylesheet (by its `.css` ending) through the loader; resolves with the element. */
  load(path: string): Promise<Element> {
    const css = /\.css([?#]|$)/.test(path);
    const el = document.createElement(css ? 'link' : 'script');
    if (css) (el as HTMLLinkElement).rel = 'stylesheet';
    else el.setAttribute('async', '');
    el.setAttribute(css ? 'data-cdn-href' : 'data-cdn-src', path);
    return new Promise((resolve, reject) => {
      const go = () => {
        const done = this._bind(el, true);
        if (!done) return reject(new Error(`cdn-loader: load(${JSON.stringify(path)}): nothing to load`));
        done.then((r) => (r.ok ? resolve(r.element) : reject(new Error(`cdn-loader: ${r.url} could not be loaded from any source`))));
      };
      if (this._config) go();
      else {
        const wait = () => (this._config ? go() : setTimeout(wait, 50));
        wait();
      }
    });
  }

  report(): Row[] {
    const rows = this._rows.map(({ path, source, url, state, tried }) => ({ path, source, url, state, tried: tried.join(' → ') }));
    console.table(rows);
    return this._rows;
  }

  /** Binds one element; resolves when it settled. */
  private _bind(el: Element, append = false): Promise<{ ok: boolean; element: Element; url: string }> | undefined {
    if (this._bound.has(el)) return undefined;
    if (el instanceof HTMLSourceElement) {
      const parent = el.parentElement;
      if (parent instanceof HTMLPictureElement) {
        const img = parent.querySelector('img');
        if (img && !this._bound.has(img)) this._take(img);
      } else if (parent instanceof HTMLMediaElement) this._take(parent);
      return undefined;
    }
    this._bound.add(el);
    if (el instanceof HTMLImageElement) return this._run(imageParts(el), (o, parts) => imageKind(el, parts, o));
    if (el instanceof HTMLScriptElement) {
      const p = part(el, 'src');
      if (!append && !el.isConnected) return undefined;
      return p && this._run([p], (o) => scriptKind(el, p, o));
    }
    if (el instanceof HTMLLinkElement) {
      const p = part(el, 'href');
      if (!p) return undefined;
      if (append) document.head.appendChild(el);
      if (/\bstylesheet\b/i.test(el.rel)) return this._run([p], (o) => styleKind(el, [p], o));
      apply([p], this._plan(this._locate(p.value)?.path ?? '')?.list[0] ?? this._config!.origin, this._map);
      return undefined;
    }
    if (el instanceof HTMLMediaElement) {
      const poster = el instanceof HTMLVideoElement && part(el, 'poster');
      if (poster) void this._run([poster], (o) => posterKind(el as HTMLVideoElement, poster, o));
      const parts = mediaParts(el);
      return parts.length ? this._run(parts, (o, p) => mediaKind(el, p, o)) : undefined;
    }
    // Any other element: its URLs are set once, from the chosen source.
    const parts = ['src', 'srcset', 'href', 'poster'].map((a) => part(el, a)).filter((p): p is Part => !!p);
    const path = this._locate(primary(parts) ?? '')?.path;
    apply(parts, (path && this._plan(path)?.list[0]) || this._config!.origin, this._map);
    return undefined;
  }

  /**
   * Runs one resource's chain. `failed`: a plain element that already failed on that source, which
   * is then left out of the candidates.
   */
  private _run(
    parts: Part[],
    make: (o: KindOptions, parts: Part[]) => Kind,
    failed?: Source,
  ): Promise<{ ok: boolean; element: Element; url: string }> | undefined {
    const written = primary(parts);
    if (!written) return undefined;
    const path = this._locate(written)?.path;
    const plan = path === undefined ? undefined : this._plan(path);
    const origin = this._config!.origin;
    let list = plan ? plan.list : [origin];
    if (failed) list = failed.id === ORIGIN ? [] : list.filter((s) => s.id !== failed.id).concat(list.includes(origin) ? [] : [origin]);
    const opts: KindOptions = {
      map: this._map,
      integrity: plan?.integrity,
      cors: plan?.integrity ? 'anonymous' : parts[0].el.getAttribute('crossorigin'),
      why: (url) => (plan?.integrity && this._answered(url) ? 'integrity' : 'error'),
    };
    const kind = make(opts, parts);
    const row: Row = { element: kind.element, path: path ?? written, source: '', url: '', state: 'loading', tried: [] };
    if (plan) this._rows.push(row);
    const quiet = !plan;
    if (failed && !list.length) {
      this._lost(kind, origin, row);
      return Promise.resolve({ ok: false, element: kind.element, url: kind.url(origin) });
    }
    if (failed) this._moved(kind, failed, list[0], 'error');
    const ctx: ChainContext = {
      remaining: (s, since) => this._remaining(s, since),
      settled: (s, o) => {
        if (o !== 'timeout') row.tried.push(s.id);
        this._settled(s, o);
      },
      moved: (k, from, to, reason) => this._moved(k, from, to, reason),
      loaded: (k, s) => {
        Object.assign(row, { element: k.element, source: s.id, url: k.url(s), state: 'loaded' });
        if (quiet) return;
        if (this._debug && k.element instanceof HTMLImageElement) mark(k.element, isEdge(s));
        this._log('loaded', row.path, 'from', s.id);
        emit('cdn:load', { element: k.element, url: k.url(s), source: s.id });
      },
      lost: (k, o) => this._lost(k, o, row),
    };
    return runChain(kind, list, ctx).then((s) => ({ ok: !!s, element: kind.element, url: kind.url(s ?? origin) }));
  }

  private _lost(kind: Kind, origin: Source, row: Row): void {
    Object.assign(row, { element: kind.element, source: ORIGIN, url: kind.url(origin), state: 'failed' });
    if (kind.element instanceof HTMLImageElement && this._debug) mark(kind.element, false);
    console.error(`cdn-loader: ${kind.url(origin)} could not be loaded from any source`);
    emit('cdn:error', { element: kind.element, url: kind.url(origin) });
  }

  private _moved(kind: Kind, from: Source, to: Source, reason: 'error' | 'timeout' | 'integrity'): void {
    if (kind.element instanceof HTMLImageElement && this._debug && !isEdge(to)) mark(kind.element, false);
    this._log(`${reason}: ${kind.url(from)} → ${to.id}`);
    emit('cdn:fallback', { element: kind.element, from: from.id, to: to.id, url: kind.url(to), reason });
  }

  /** A response arrived (Resource Timing saw a 2xx), so the load failed its integrity check. */
  private _answered(url: string): boolean {
    try {
      return performance.getEntriesByName(url).some((e) => {
        const s = (e as PerformanceResourceTiming & { responseStatus?: number }).responseStatus;
        return s !== undefined && s >= 200 && s < 300;
      });
    } catch {
      return false;
    }
  }

  private _settled(s: Source, o: Outcome | 'timeout'): void {
    if (o !== 'timeout') this._progress.set(s.id, performance.now());
    if (!isEdge(s)) return;
    if (o === 'error' || o === 'integrity') this._health?.fail(s.id);
    if (o === 'timeout') this._monitor?.check(s.id);
  }

  /**
   * Ms until a resource on `s` started at `since` is late. The clock restarts whenever anything
   * finishes on that source, so resources queued behind others (six connections per host over
   * HTTP/1.1) are not mistaken for a hanging edge.
   */
  private _remaining(s: Source, since: number): number | null {
    const c = this._config!;
    const lat = this._health?.latency(s.id) ?? null;
    const t =
      c.failover.timeout !== 'auto'
        ? c.failover.timeout
        : lat === null
          ? FIRST_TIMEOUT
          : Math.min(MAX_TIMEOUT, Math.max(MIN_TIMEOUT, 3 * lat + 250));
    return Math.max(since, this._progress.get(s.id) ?? 0) + t - performance.now();
  }

  /** A plain `src`/`href` of a registered asset failed: retry it on the next source. */
  private _plainError(e: Event): void {
    const t = e.target;
    if (!(t instanceof Element) || this._bound.has(t) || owned.has(t) || this._fallback) return;
    if (!this._config) {
      this._early.push(e);
      return;
    }
    let parts: Part[];
    if (t instanceof HTMLImageElement) parts = imageParts(t, true);
    else if (t instanceof HTMLScriptElement) parts = [part(t, 'src', true)].filter((p): p is Part => !!p);
    else if (t instanceof HTMLLinkElement && /\bstylesheet\b/i.test(t.rel)) parts = [part(t, 'href', true)].filter((p): p is Part => !!p);
    else return;
    const url = t instanceof HTMLImageElement ? t.currentSrc || t.src : (t as HTMLScriptElement).src || (t as HTMLLinkElement).href;
    const loc = this._locate(url);
    if (!loc || !findRule(this._config, loc.path) || !parts.length) return;
    const from = loc.source ?? this._config.origin;
    this._bound.add(t);
    this._settled(from, 'error');
    if (t instanceof HTMLImageElement) void this._run(parts, (o, p) => imageKind(t, p, o), from);
    else if (t instanceof HTMLScriptElement) {
      t.setAttribute('async', '');
      void this._run(parts, (o, p) => scriptKind(t, p[0], o), from);
    } else void this._run(parts, (o, p) => styleKind(t as HTMLLinkElement, p, o), from);
  }
}
