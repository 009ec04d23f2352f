import type { EdgeStatus } from '../types.js';
import { ORIGIN, parseManifest, type Config, type Source } from '../manifest/manifest.js';
import { newSelection } from '../chain/select.js';
import { newHealth, type Health } from '../health/health.js';
import { monitor, type Monitor } from '../health/monitor.js';
import { timer } from '../chain/chain.js';
import { deadline } from './workerDeadline.js';
import { routes } from './routes.js';
import { failover } from './workerFetch.js';
import { planRequest } from './workerPlan.js';
import { version } from './workerPage.js';
import { workerPing } from './workerPing.js';

/** The parts of ServiceWorkerGlobalScope the worker uses (the DOM library has no worker types). */
export interface WorkerScope {
  location: Location;
  registration: { unregister(): Promise<boolean> };
  clients: { claim(): Promise<void>; get(id: string): Promise<{ url: string } | undefined>; matchAll(o?: { includeUncontrolled?: boolean }): Promise<{ postMessage(m: unknown): void }[]> };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, fn: (e: any) => void): void;
}

/** Where the worker keeps what it must remember across restarts (browsers stop idle workers). */
const CACHE = 'cdn-loader-sw';
const STATE = '/cdn-loader-sw/state';
/** How long an install waits for the page that registered the worker to hand over the manifest. */
const HANDOVER = 3000;

/**
 * The service worker: takes the manifest from the pages (and keeps it across restarts), fails over
 * every GET of a registered path by the loader's rules, and shares edge health with the pages. It
 * steps down (passes everything through and unregisters) when the manifest no longer names it, is
 * withdrawn (404/410) or is not valid.
 */
export function startWorker(scope: WorkerScope): void {
  let raw: string | undefined;
  let src: string | undefined;
  let cfg: Config | undefined;
  let health: Health | undefined;
  let mon: Monitor | undefined;
  let sel = newSelection();
  let checking: Promise<void> | undefined;
  /** Health's storage: in memory, saved with the manifest. */
  const mem: Record<string, unknown> = {};
  const store = { get: (k: string) => mem[k], set: (k: string, v: unknown) => ((mem[k] = v), void save(), true), remove: (k: string) => void delete mem[k] };
  /** When response headers last arrived from each source, so requests queued behind others are not taken for a hang. */
  const progress = new Map<string, number>();

  const cache = () => caches.open(CACHE);
  let writing: Promise<unknown> = Promise.resolve();
  /** Saves the state as it is when the write runs, one write after the other, so a late write cannot revive a worker that stepped down. */
  const save = () =>
    (writing = writing
      .then(() => cache())
      .then((c) => c.put(STATE, new Response(JSON.stringify(raw ? { raw, src, mem } : { dead }))))
      .catch(() => {}));
  const tell = (m: unknown) =>
    scope.clients.matchAll({ includeUncontrolled: true }).then((cs) => cs.forEach((c) => c.postMessage({ cdnLoader: m })), () => {});

  /** The manifest text the worker last stepped down for: handed the same one again, it stays down. */
  let dead: string | undefined;

  /** Steps down: passes everything through from now on, forgets its state, tells the pages and unregisters. */
  const stop = (why: string, text = raw) => {
    if (cfg) console.warn(`cdn-loader: the service worker steps down: ${why}`);
    cfg = raw = undefined;
    dead = text;
    mon?._stop();
    void save();
    if (text) void tell({ stop: version(text) });
    void scope.registration.unregister().catch(() => {});
  };

  /** Applies a manifest (its JSON text); an unchanged one keeps health and selection as they are. */
  const apply = (text: string, from?: string) => {
    if (from) src = from;
    if (text === raw && cfg) return;
    if (text === dead) return stop('it stepped down for this manifest before', text);
    let c: Config;
    try {
      c = parseManifest(JSON.parse(text), scope.location.href);
    } catch (e) {
      return stop(`its manifest is not valid (${(e as Error).message})`, text);
    }
    if (!c.worker) return stop('the manifest no longer names it (serviceWorker)', text);
    raw = text;
    cfg = c;
    sel = newSelection();
    mon?._stop();
    // The probe's `ttl` and `interval` are health's.
    health = newHealth(c.edges, { ...c.probe, _store: store, _now: Date.now, _changed: () => {} });
    // The manifest's edges and probe settings.
    mon = monitor({
      ...c,
      _health: health,
      _ping: workerPing,
      _pinged: (e, r) => void tell({ id: e.id, ...r }),
      _setTimer: timer,
      _visible: () => true,
    });
    void save();
  };

  /** Asks the manifest's URL (when it has one) whether it still stands, once per page: 404/410 withdraws it. */
  const revalidate = (): Promise<void> | undefined => {
    const url = src;
    if (!url) return;
    // One check at a time: the loader and the worker's page half both hand over the manifest.
    return (checking ??= fetch(url, { cache: 'no-cache', credentials: 'same-origin' })
      .then(async (r) => {
  if (r.status === 404 || r.status === 410) stop(`its manifest ${url} answers ${r.status}`);
        else if (r.ok) apply(await r.text());
      })
      .catch(() => {
        // Offline, or the server is down: the manifest in hand stands.
      })
      .finally(() => (checking = undefined)));
  };

  /** What the worker remembered before it was stopped; every event waits for it. */
  const ready = cache()
    .then((c) => c.match(STATE))
    .then((r) => r?.json())
    .then((s) => {
      dead = s?.dead;
      if (s && !raw && typeof s.raw === 'string') {
        Object.assign(mem, s.mem);
        apply(s.raw, s.src);
      }
    })
    .catch(() => {});

  /** The first manifest a page hands over (during install, before `ready` may have settled). */
  let handover: ((m: [string, string | undefined]) => void) | undefined;
  const handed = new Promise<[string, string | undefined]>((r) => (handover = r));

  scope.addEventListener('install', (e) => {
    void scope.skipWaiting();
    // Routes are fixed at install: wait (briefly) for the page that registered this worker to hand over
    // its manifest. Browsers without Static Routing (Firefox, Safari) take every request and pass on
    // those that are not registered.
    e.waitUntil(
      Promise.race([handed, new Promise<undefined>((r) => setTimeout(r, HANDOVER))])
        .then((m) => ready.then(() => m && apply(...m)))
        .then(() => cfg && e.addRoutes?.(routes(cfg, scope.location.origin)))
        .catch((err: Error) => console.warn('cdn-loader: no static routes, every request wakes the service worker', err)),
    );
  });
  scope.addEventListener('activate', (e) => e.waitUntil(scope.clients.claim()));

  scope.addEventListener('message', (e) => {
    const d = e.data;
    if (d === 'cdn-loader:edges') return e.ports?.[0]?.postMessage(health?.list() ?? ([] as EdgeStatus[]));
    if (!d || typeof d !== 'object') return;
    if ('manifest' in d) {
      let text: string;
      try {
        text = JSON.stringify(d.manifest);
      } catch {
        return;
      }
      // A manifest URL, resolved against the page that sent it (not inline JSON, not #id).
      let from: string | undefined;
      if (typeof d.src === 'string' && !/^\s*[{#]/.test(d.src))
        try {
          from = new URL(d.src, e.source?.url).href;
        } catch {
          // Not a URL: nothing to revalidate.
        }
      handover?.([text, from]);
      e.waitUntil(
        ready.then(() => {
          apply(text, from);
          // The page's health so far: what it learnt before it could tell the worker.
          if (health && Array.isArray(d.edges))
            for (const x of d.edges as EdgeStatus[]) x.state === 'down' ? health.fail(x.id) : x.latency != null && health.ping(x.id, true, x.latency);
          return revalidate();
        }),
      );
    } else if (health && typeof d.id === 'string') {
      // The page's observations: a ping (cdn:probe) or an edge that went down (cdn:edge).
      if (typeof d.ok === 'boolean') health.ping(d.id, d.ok, d.ms);
      else if (d.state === 'down') health.fail(d.id);
    }
  });

  const failed = (s: Source) => {
    if (!health?.isUp(s.id)) return;
    health.fail(s.id);
    mon?._down(s.id);
    void tell({ id: s.id, ok: false });
  };

  /** The candidates of a registered request, or undefined when the worker does not take it. */
  const plan = (req: Request) => (cfg && health ? planRequest(cfg, health, sel, req.url, req.mode, scope.location.origin) : undefined);

  const remaining = (s: Source, since: number) => {
    // The origin is never late. Stepped down meanwhile: what runs ends without more hedges. (With a manifest comes health.)
    if (!cfg || s.id === ORIGIN) return null;
    const h = health!;
    const ms = deadline(cfg.failover.timeout, h.latency(s.id), cfg.edges.map((e) => h.latency(e.id)));
    return Math.max(since, progress.get(s.id) || 0) + ms - performance.now();
  };

  /** Fails `req` over by its plan, made once (a round-robin choice advances the rotation). */
  const take = (req: Request, p: ReturnType<typeof plan>) => p && failover(req, p.list, p.path, { remaining, answered: (s) => progress.set(s.id, performance.now()), failed });

  scope.addEventListener('fetch', (e) => {
    const req: Request = e.request;
    if (req.method !== 'GET' || req.mode === 'navigate' || req.url.includes('cdn-probe=')) return;
    try {
      // Registered, or the worker just restarted (what it remembered is still being read): decided once
      // that is known, and the page: one opened with ?cdn=off has its requests go out as they are, as its loader does.
      const p = plan(req);
      if (p || !(cfg || settled)) {
        e.respondWith(
          Promise.all([scope.clients.get(e.clientId), ready])
            .then(([page]) => (!(page && /[?&]cdn=off([&#]|$)/.test(page.url)) && take(req, p || plan(req))) || fetch(req))
            .catch(() => fetch(req)),
        );
      }
    } catch {
      // Whatever went wrong, the request goes out as if there were no worker.
    }
  });
  let settled = false;
  void ready.then(() => (settled = true));
}
