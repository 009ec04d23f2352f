import type { Mode } from '../types.js';
import { MODES, type Source } from '../manifest/manifest.js';
import { candidates, choose, newSelection } from '../chain/select.js';
import { remembered, saved } from '../health/health.js';
import { httpUrl, locate } from '../lib/urls.js';
import { apply, parts, picture, primary, sources, type Part } from '../page/parts.js';
import { HANDOVER, type BootRecord } from './handover.js';
import { readManifest } from './readManifest.js';

/**
 * The elements the boot starts: images (with their `<picture>`), stylesheets, scripts (preloaded); and
 * plain images and stylesheets at an edge it knows is down (`take`). (Every `<link>`: `take` reads
 * `data-cdn-href` or `href` of a stylesheet.)
 */
const SELECTOR = '[data-cdn-src],[data-cdn-srcset],img[src],link';

/** A record with what the boot itself needs to fail it over. */
interface Started extends BootRecord {
  /** Its candidates: the chosen source, other healthy edges, the origin. */
  _c: Source[];
  _list: Part[];
  _sri?: string;
}

/**
 * The inline boot: what must run before the first registered request can start, and nothing more.
 * It reads its tag and the manifest (inline JSON or `#id`; a manifest URL is left to the runtime),
 * the health memory, chooses each resource's source with the runtime's own choice functions, and
 * rewrites `data-cdn-*` as the parser hands elements over: images and `<picture>`s, stylesheets;
 * scripts are preloaded, and run in document order by the runtime. A plain registered image or
 * stylesheet at an edge it knows is down (remembered down, or failed on this page) it moves to its
 * own choice as if written with `data-cdn-*`; one on a healthy edge it leaves as it is (the preload
 * scanner's request is its request). On an error a resource moves to
 * its next candidate at once, the origin last. Everything it started is recorded in
 * `window.CDNBoot` for the runtime, which adds deadlines, probes, events and the API
 * (docs/first-visit.md). It only ever sets a manifest source + a registered path.
 */
export function startBoot(tag: HTMLScriptElement | null): void {
  const spec = tag?.dataset.manifest || '';
  const nonce = tag?.nonce;
  const mode = tag?.dataset.mode;
  const cfg = readManifest(spec);
  const records: Started[] = [];
  const errors: Event[] = [];
  const sel = newSelection();
  const byEl = new WeakMap<Element, Started>();
  let stopped: boolean | undefined;
  const added = (list: MutationRecord[]) => list.forEach((x) => x.addedNodes.forEach(scan));
  const observer = new MutationObserver(added);
  /** Observes what the parser adds to the document, or (`head`) to <head> alone. */
  const watch = (head?: boolean) => observer.observe(head ? document.head : document, { childList: true, subtree: !head });

  window.CDNBoot = {
    v: HANDOVER,
    manifest: spec,
    mode,
    records,
    errors,
    stop() {
      added(observer.takeRecords());
      observer.disconnect();
      stopped = true;
    },
  };

  // From the start: an error is failed over now, or kept for the runtime's recovery (plain URLs).
  addEventListener(
    'error',
    (e) => {
      const r = byEl.get(e.target as Element);
      if (!r) {
        if (!stopped && e.target instanceof Element) errors.push(e);
      } else if (!r.taken) {
        r.failed.push(r.from);
        // Down for the boot's choices from now on (for the origin too, harmlessly: it is no edge), and the
        // whole page watched, to move plain URLs off it (`watch`; not once the runtime has taken over).
        memory.set(r.from, [0]);
        if (!stopped) watch();
        const next = r._c.find((s) => !r.failed.includes(s.id));
        if (next) go(r, next);
        else r.done = -1;
      }
    },
    true,
  );
  // Listened to from the boot's first record (take), not from the start: with a listener on their path
  // the browser dispatches every load of the page to it (Chromium 156, a warm page of 40 images:
  // 1.5 ms of main-thread time), which a page whose URLs the boot leaves as written would pay for
  // nothing. (Load events never reach the window: the DOM leaves it out of their path.)
  const loaded = (e: Event) => {
    const r = byEl.get(e.target as Element);
    if (r) r.done = performance.now();
  };
  if (!cfg) return;

  const where = (written: string) => locate(httpUrl(written, document.baseURI), [cfg.origin, ...cfg.edges], location.origin);
  /** The runtime's mapping (loader.ts): a registered URL on `s`, any other as written. */
  const map = (written: string, s: Source) => {
    const l = where(written);
    return l && cfg.find(l.path) ? s.url + l.path : httpUrl(written, document.baseURI) || 'about:invalid';
  };
  // `?cdn=` first, then the tag's data-mode, as the runtime does.
  const forced = [new URLSearchParams(location.search).get('cdn'), mode].find((m) => MODES.includes(m!)) as Mode | undefined;
  const health = saved((k) => {
    try {
      return JSON.parse(localStorage.getItem(k)!);
    } catch {
      // Storage blocked (store.ts): as on a first visit.
    }
  });
  // What earlier pages saved of each edge, by id (up, latency…; health.ts); an edge that fails a resource here is down in it.
  const memory = new Map<string, (number | null | undefined)[] | undefined>(cfg.edges.map((e) => [e.id, remembered(health, e.url, cfg.ttl, Date.now())]));
  // `always` goes on with the edge an earlier page used (health.ts `_sel`), as the runtime does.
  sel._best = cfg.edges.find((e) => memory.get(e.id)?.[4])?.id;
  /** Whether edge `e` is not known down: remembered down, or failed on this page. */
  const up = (e: Source) => memory.get(e.id)?.[0] ?? 1;

  /** Points a record at source `s`: the element's URLs, or a new preload for a script. */
  const go = (r: Started, s: Source) => {
    const el = r.el;
    const link = el instanceof HTMLScriptElement ? document.createElement('link') : (el as HTMLLinkElement);
    r.from = s.id;
    r.t = performance.now();
    // Integrity and crossorigin as the runtime sets them, so that its own preload finds this one. (A
    // null crossorigin, the element having none, removes an attribute the link does not have either.)
    if (link instanceof HTMLLinkElement) {
      if (r._sri) link.integrity = r._sri;
      link.crossOrigin = r._sri ? 'anonymous' : el.getAttribute('crossorigin');
    }
    if (link === el) return apply(r._list, s, map);
    r.link?.remove();
    link.rel = ((el as HTMLScriptElement).type == 'module' ? 'module' : '') + 'preload';
    link.as = 'script';
    if (nonce) link.nonce = nonce;
    link.href = s.url + r.path;
    byEl.set(link, r);
    document.head.append((r.link = link));
  };

  const take = (el: Element) => {
    if (byEl.has(el)) return;
    const script = el instanceof HTMLScriptElement;
    const make = (plain?: boolean) =>
      el instanceof HTMLImageElement
        ? parts([...sources(picture(el)), el], ['srcset', 'src'], plain)
        : script || (el instanceof HTMLLinkElement && /stylesheet/i.test(el.rel))
          ? parts([el], [script ? 'src' : 'href'], plain)
          : [];
    let list = make();
    // No data-cdn-*: a plain URL (an image's, a stylesheet's), which the preload scanner may have asked
    // for. It stays as it is (its request is the preload scanner's) unless its edge is down, remembered
    // or on this page; then it is the boot's, as if written with data-cdn-* (not under `?cdn=`/`data-mode`).
    // With every edge up, the usual case, that is all there is to read of it.
    const plain = !list[0];
    if (plain) {
      if (forced || cfg.edges.every(up)) return;
      list = make(!0);
    }
    const written = primary(list);
    const l = written && where(written);
    const rule = l && cfg.find(l.path);
    // Scripts under the runtime's rules (trust.ts `refusal`: under a nonce, only a placeholder with that
    // nonce runs); one that appears after parsing waits for the runtime.
    if (
      !rule ||
      (script && (document.readyState != 'loading' || el.noModule || (nonce && el.nonce !== nonce))) ||
      (plain && (!cfg.edges.includes(l.source!) || up(l.source!)))
    )
      return;
    const c = {
      _mode: forced ?? rule.mode ?? cfg.mode,
      _sticky: cfg.sticky,
      _origin: cfg.origin,
      _healthy: cfg.edges.filter(up),
      _latency: (id: string) => memory.get(id)?.[1],
    };
    const cands = candidates(c, choose(c, l.path, sel), cfg.retries);
    // (`from` and `t`: set by `go`.)
    const r = { el, path: l.path, done: 0, failed: [], _c: cands, _list: list, _sri: rule.integrity } as unknown as Started;
    byEl.set(el, r);
    records.push(r);
    // Before `go` sets its URLs, so its load cannot come first. (Added once: adding the same listener
    // again does nothing.)
    document.addEventListener('load', loaded, true);
    go(r, cands[0]);
  };
  const scan = (n: Node) => {
    if (n instanceof Element) {
      if (n.matches(SELECTOR)) take(n);
      n.querySelectorAll(SELECTOR).forEach(take);
    }
  };
  // A page with no `data-cdn-*` image or stylesheet (`data-plain` on this tag: the tools write it with
  // `--plain-urls`) has nothing in its <body> for the boot to move while every edge is remembered up
  // (health saved within probe.ttl, a returning visit): its plain URLs stay as they are, and its script
  // placeholders there are left to the runtime. Observing the whole parser cost such a visit 12–23 ms of
  // main thread, traced (docs/first-visit.md); only <head>'s children are watched then, so that a script
  // placeholder there (a Vite entry) still starts at once. On a first visit, with an edge remembered
  // down, or once one fails here (the error listener), the boot watches the whole document.
  watch(tag?.dataset.plain != null && cfg.edges.every((e) => memory.get(e.id)?.[0]));
  scan(document.documentElement);
}
