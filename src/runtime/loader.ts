import type { CDNLoaderApi, FallbackReason, Mode, ReportRow as Row } from '../types.js';
import { MODES, findRule, parseManifest, remember, type Config, type Source } from '../manifest/manifest.js';
import { candidates, choose, newSelection } from '../chain/select.js';
import { newHealth, type Health } from '../health/health.js';
import { monitor, type Monitor } from '../health/monitor.js';
import { ping } from '../health/probe.js';
import { safeStore } from '../lib/store.js';
import { locate } from '../lib/urls.js';
import { abs, http, place } from '../manifest/written.js';
import { startManifest, withQuery, type Loaded, type TagOptions } from '../manifest/source.js';
import { timer, type ChainContext, type Kind } from '../chain/chain.js';
import { arriving, auto, deadlines, pageLatency } from '../chain/deadline.js';
import { elementKind, type KindOptions } from '../page/bind.js';
import { owned, scriptKind } from '../page/scripts.js';
import { refusal, sign } from '../page/trust.js';
import { redeployChain } from '../chain/redeploy.js';
import { parts, picture, primary, sources, type Part } from '../page/parts.js';
import { watch } from '../page/watch.js';
import { emit, lost, on } from '../api/events.js';
import { mark } from '../page/debug.js';
import { settler } from '../health/settle.js';
import { serviceWorker } from '../worker/serviceWorker.js';
import { parsed } from '../page/parsed.js';
import { answered } from '../chain/answered.js';
import type { Takeover } from './takeover.js';
import { watchPlain } from './plainWatch.js';

/**
 * Starts the loader on this page: reads the manifest, binds elements, keeps edges probed. `boot`:
 * what the inline boot started before it (runtime/takeover.ts).
 */
export function startLoader(o: TagOptions, boot?: Takeover): CDNLoaderApi {
  const page = location.href;
  const store = safeStore(() => localStorage);
  // Fresh also after a boot: the runtime chooses again for each resource the boot started (its choice then
  // gives way to the boot's, runtime/takeover.ts), so its rotation comes to where the boot's is.
  const sel = newSelection();
  /** Plain resources that failed before the manifest was known (or before the runtime came). */
  const early: Event[] = (__RUNTIME__ && boot?._errors) || [];
  const rows: Row[] = [];
  const warned = new Set<string>();
  /** Placeholders that appeared once the page was parsed (see trust.ts); set then. */
  let late: WeakSet<Element> | undefined;
  /** Every placeholder found so far: one found again (moved, or back in the page) keeps when it was first found. */
  const seen = new WeakSet<Element>();
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
  const forced = withQuery<TagOptions>({}, page).mode as Mode | undefined;

  const mode = (): Mode => (fallback ? 'off' : forced ?? override ?? cfg?.mode ?? 'always');
  const debug = () => opts.debug ?? cfg?.debug;
  const log = (...a: unknown[]) => debug() && console.info('cdn-loader:', ...a);
  const setMode = (m: unknown) => {
    if (MODES.includes(m as string)) override = m as Mode;
    else if (m !== undefined) console.error(`cdn-loader: mode ${JSON.stringify(m)} is not "always", "round-robin" or "off"`);
    syncMonitor();
  };
  const edges = () => (fallback ? [] : health?.list() ?? []);

  const where = __RUNTIME__ ? place(() => cfg!) : (written: string) => locate(abs(written), [cfg!.origin, ...cfg!.edges], location.origin);
  /** The URL of a written URL on `source`; an unregistered one stays as written. */
  const map = (written: string, s: Source) => {
    const l = where(written);
    return l && findRule(cfg!, l.path) ? s.url + l.path : abs(written);
  };

  /** The candidates of a registered path, or undefined when it is not registered (none is in the origin-only fallback). */
  const plan = (path: string) => {
    const rule = cfg && findRule(cfg, path);
    if (!rule) return undefined;
    const c = {
      _mode: forced ?? override ?? rule.mode ?? cfg!.mode,
      _sticky: cfg!.sticky,
      _origin: cfg!.origin,
      _healthy: cfg!.edges.filter((e) => health?.isUp(e.id)),
      _latency: (id: string) => health?.latency(id) ?? null,
    } as const;
    return { list: candidates(c, choose(c, path, sel), cfg!.failover.retries), integrity: rule.integrity };
  };

  /** A source's deadline (deadline.ts). "auto" without its own latency: the slowest other edge's, else the page's. */
  const timing = deadlines((id) => {
    const t = cfg!.failover.timeout;
    const l = health?.latency(id) ?? Math.max(...cfg!.edges.map((e) => health?.latency(e.id) ?? -1));
    return t !== 'auto' ? t : auto(l < 0 ? pageLatency() : l);
  });
  const settle = settler(timing, () => health, () => mon);

  /** One warning per path. */
  const warn = (path: string, why: string) => {
    if (!warned.has(path)) console.warn(`cdn-loader: ${path}${why}`);
    warned.add(path);
  };
  /** A placeholder not loaded as the manifest says: one warning per URL, and a report row. */
  const note = (path: string, state: Row['state'], why: string) => {
    warn(path, ' ' + why);
    if (rows.push({ path, source: '', url: '', state, tried: [] }) > 1000) rows.shift();
  };

  /** Runs one resource's chain. `failed`: the source a plain element already failed on. */
  const run = (list: Part[], make: (list: Part[], o: KindOptions) => Kind, failed?: Source) => {
    const written = primary(list);
    if (!written || !cfg || !http(written)) return;
    const path = where(written)?.path;
    const p = path === undefined ? undefined : plan(path);
    const origin = cfg.origin;
    let cands = p ? p.list : [origin];
    if (failed) cands = failed === origin ? [] : [...cands.filter((s) => s !== failed && s !== origin), origin];
    // Started by the boot: it goes on from where the boot is (runtime/takeover.ts; not in the one-tag build).
    const c = __RUNTIME__ ? boot?._claim(list[list.length - 1]._el, [origin, ...cfg.edges]) : undefined;
    if (__RUNTIME__ && c === null) return;
    if (__RUNTIME__ && c) cands = c._cands(cands);
    const first = list[0]._el;
    const code = first instanceof HTMLScriptElement || first instanceof HTMLLinkElement;
    const ko: KindOptions = {
      _map: map,
      _integrity: p?.integrity,
      _cors: p?.integrity ? 'anonymous' : first.getAttribute('crossorigin'),
      _why: (url) => (ko._integrity && answered(url) ? 'integrity' : 'error'),
      _nonce: opts.nonce,
      _shown: failed,
    };
    // Not registered: images and media load as written; scripts and stylesheets stay inert. Without a
    // manifest in force, the page's own origin stands in for the registered assets.
    if (!p && !(fallback && code && path)) {
      if (code || !fallback) note(path ?? written, 'unregistered', `is in no "assets" entry: ${code ? 'not loaded' : 'loaded as written'}`);
      if (!code) void make(list, ko)._commit(origin);
      return;
    }
    const kind = make(list, ko);
    // Rows keep paths, not elements: a long-lived app's report holds no view it swapped out.
    const row: Row = { path: path ?? written, source: '', url: '', state: 'loading', tried: [] };
    const el = kind.el;
    const script = el instanceof HTMLScriptElement;
    if (script) cands.forEach((s) => sign(kind.url(s)));
    if (p?.integrity && !code) warn(row.path, ': integrity is checked on scripts and stylesheets only');
    const img = kind.el instanceof HTMLImageElement && debug();
    const moved = (_k: Kind, from: Source, to: Source, reason: FallbackReason) => {
      if (!p) return;
      if (img && to === origin) mark(kind.el, false);
      log(`${reason}: ${kind.url(from)} → ${to.id}`);
      emit('cdn:fallback', { element: kind.el, from: from.id, to: to.id, url: kind.url(to), reason });
    };
    const ctx: ChainContext = {
      _origin: origin,
      _current: w._current(el),
      _begin: (s, check, live) => timing._begin(s.id, () => arriving(kind.url(s), s.url, kind.el, live), check),
      // An element taken out of the page may never start its load: it is not late, and says nothing of the
      // edge. Nor is a disabled stylesheet (theme switchers), which browsers fetch only once it is enabled:
      // its clock starts then. Lazy ones are never late, unless their edge is down and they have not started.
      _remaining: (s, a) =>
        !el.isConnected && !script
          ? null
          : (el as HTMLLinkElement).disabled
            ? ((a._seen = performance.now()), 250)
            : kind._timed
              ? timing._remaining(a)
              : health?.isUp(s.id) || a._arriving()
                ? null
                : 0,
      _settled(s, o, a) {
        if (o && o !== 'timeout') row.tried.push(s.id);
        settle(s, el.isConnected || script ? o : undefined, a);
      },
      // An error or integrity failure counts against an edge once another source served the resource.
      _blame: (l) => (el.isConnected || script) && l.forEach((s) => health?.fail(s.id)),
      _moved: moved,
    };
    // The report keeps the latest 1000 resources, so a long-lived page does not hold every element forever.
    if (p && rows.push(row) > 1000) rows.shift();
    if (failed && cands[0]) moved(kind, failed, cands[0], 'error');
    if (__RUNTIME__) c?._adopt(kind, ctx, row);
    return redeployChain(kind, cands, ctx, ko, () => fresh, row.path, opts.manifestTimeout ?? 1500, failed).then((win) => {
      const url = kind.url(win || origin);
      if (!ctx._current() || kind._gone) return { ok: false, element: kind.el, url };
      Object.assign(row, { source: (win || origin).id, url, state: win ? 'loaded' : 'failed' });
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

  /** Binds a script; scripts keep their document order (scripts.ts). */
  const script = (el: HTMLScriptElement, append?: boolean) => {
    // A placeholder that left the page before the manifest came may come back; bind it then.
    if (!el.isConnected && !append) return;
    w._bound.set(el, []);
    // Where modules run, `nomodule` scripts never do (and fire no event to wait for).
    if (el.noModule && 'noModule' in el) return;
    const why = append ? '' : refusal(el, opts.nonce, !!late?.has(el));
    if (why) return void note(el.getAttribute('data-cdn-src')!, 'refused', 'not run: ' + why);
    return run(parts([el], ['src']), (l, o) => scriptKind(el, l[0], o));
  };

  /** A plain `src`/`href` of a registered asset failed: retry it on the next source. */
  const plainError = (e: Event) => {
    const t = e.target;
    if (!(t instanceof Element) || w._bound.has(t) || owned.has(t) || fallback) return;
    if (!cfg) return void early.push(e);
    const link = t instanceof HTMLLinkElement && /stylesheet/i.test(t.rel);
    const attr = t instanceof HTMLImageElement || t instanceof HTMLScriptElement ? 'src' : link ? 'href' : '';
    const url = (t as HTMLImageElement).currentSrc || t.getAttribute(attr);
    const l = url && where(url);
    // A script the CSP blocked for want of the nonce gets no second chance through the loader.
    if (!l || !findRule(cfg, l.path) || (t instanceof HTMLScriptElement && refusal(t, opts.nonce, false))) return;
    w._bound.set(t, []);
    const from = l.source ?? cfg.origin;
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
      mon?._stop();
      mon = undefined;
    }
    if (off || mon) return;
    mon = monitor({
      // Its edges and probe.
      ...cfg!,
      _health: health!,
      _ping: ping,
      _pinged: (edge, r) => emit('cdn:probe', { id: edge.id, ...r }),
      _setTimer: timer,
      _busy: timing._busy,
      _visible: () => document.visibilityState !== 'hidden',
    });
    void mon._round();
  };

  /** Applies a manifest, or the origin-only fallback when it cannot be used. */
  const use = (r: Loaded) => {
    if (cfg && !fallback) return;
    if (typeof r == 'string') {
      console.error(r + '; every resource loads from the origin');
      if (cfg) return;
      // The fallback: mode() is 'off', edges() [].
      cfg = parseManifest({ mode: 'off' }, page);
      fallback = true;
    } else {
      cfg = __RUNTIME__ ? { ...r, find: remember(r.find) } : r;
      fallback = false;
      health = newHealth(cfg.edges, {
        // Its ttl and interval.
        ...cfg.probe,
        _store: store,
        _now: Date.now,
        // `always` goes on with the edge an earlier page used, until another is clearly faster.
        _sel: sel,
        _changed(s) {
          if (s.state === 'down') {
            mon?._down(s.id);
            timing._down(s.id);
          }
          log(`edge ${s.id} is ${s.state}`);
          emit('cdn:edge', { id: s.id, state: s.state, latency: s.latency });
        },
      });
      if (__RUNTIME__) boot?._down.forEach(health.fail);
      syncMonitor();
      serviceWorker(cfg._raw, cfg, health, opts.manifest);
    }
    emit('cdn:ready', { mode: mode(), edges: edges() });
    applied();
    if (!fallback) log('ready', mode(), edges());
    flush();
  };

  const flush = () => {
    w._flush();
    early.splice(0).forEach(plainError);
    if (__RUNTIME__ && boot && !fallback) watchPlain(cfg!, where, health!, w._bound, boot, run, timing);
  };

  // Watch the page: elements present now, parsed later, or added by scripts.
  addEventListener('error', plainError, true);
  document.addEventListener('visibilitychange', () => mon?._wake());
  const w = watch({ _ready: () => !!cfg, _run: run, _script: script, _seen: (el) => seen.has(el) || (seen.add(el), late?.add(el)) });
  parsed(() => (late = new WeakSet()));

  setMode(opts.mode);
  const fresh = startManifest(opts, page, store, use);

  return {
    get mode() {
      return mode();
    },
    setMode,
    edges,
    on,
    async probe() {
      await ready;
      await mon?._round();
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
      // Asked for by the page's own code: it runs under the page's nonce.
      el.nonce = opts.nonce || '';
      // Before the manifest (or its timeout) there is nothing to decide with yet.
      return ready.then(() => {
        const done = w._bind(el, true);
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
