import type { Source } from '../manifest/manifest.js';
import type { Health } from './health.js';
import type { PingOptions, PingResult } from './probe.js';

/** What the monitor needs: the edges, their health, probe settings, and injectable ping and timers. */
export interface MonitorOptions {
  edges: Source[];
  _health: Health;
  probe: PingOptions & { interval: number };
  _ping: (edge: Source, opts: PingOptions) => Promise<PingResult>;
  /** Reported after every ping. */
  _pinged: (edge: Source, result: PingResult) => void;
  _setTimer: (fn: () => void, ms: number) => () => void;
  /**
   * Whether the edge delivered something in the last `ms` ms. A ping that timed out meanwhile proves
   * nothing, and one that answered measured its wait as much as the edge: over HTTP/1.1 it may have
   * waited behind the edge's six busy connections, and on a full link behind their bytes.
   */
  _busy?: (id: string, ms: number) => boolean;
  /** False while the page is hidden: rounds pause then. */
  _visible: () => boolean;
}

/** Keeps edges probed: a round at start, then every interval while visible; down edges on their backoff. */
export interface Monitor {
  /** Pings every edge now; resolves when all answered or timed out. */
  _round(): Promise<void>;
  /** Pings one edge soon, unless a ping of it is under way (e.g. a resource on it is late). */
  _check(id: string): void;
  /** An edge went down without a ping (a resource failed on it): ping it after its backoff. */
  _down(id: string): void;
  /** Call when the page becomes visible again: a round is run if one is due. */
  _wake(): void;
  _stop(): void;
}

/** Starts nothing by itself: call `_round()` to ping at start; rounds then repeat every interval. */
export function monitor(o: MonitorOptions): Monitor {
  const inFlight = new Map<string, Promise<void>>();
  const retry = new Map<string, () => void>();
  let stopRound: (() => void) | undefined;
  let stopped = false;
  let due = false;

  const pingOne = (edge: Source): Promise<void> => {
    const running = inFlight.get(edge.id);
    if (running) return running;
    retry.get(edge.id)?.();
    retry.delete(edge.id);
    const p = o
      ._ping(edge, o.probe)
      .catch(() => ({ ok: false, ms: o.probe.timeout }))
      .then((r) => {
        inFlight.delete(edge.id);
        if (stopped) return;
        // On a busy edge, a ping that timed out is not counted, and one that answered proves the edge up, but
        // its time measured the queue as much as the edge: it may lower the latency, never raise it.
        const busy = o._busy?.(edge.id, r.ms);
        if (r.ok || r.ms < o.probe.timeout || !busy) o._health.ping(edge.id, r.ok, busy ? Math.min(r.ms, o._health.latency(edge.id) ?? r.ms) : r.ms);
        o._pinged(edge, r);
        if (!o._health.isUp(edge.id)) later(edge);
      });
    inFlight.set(edge.id, p);
    return p;
  };

  /** A down edge is pinged again after its backoff, unless a ping is already due or under way. */
  const later = (edge: Source) => {
    if (!stopped && !inFlight.has(edge.id) && !retry.has(edge.id)) retry.set(edge.id, o._setTimer(() => void pingOne(edge), o._health.backoff(edge.id)));
  };

  const schedule = () => {
    stopRound?.();
    stopRound = o._setTimer(() => {
      if (o._visible()) void round();
      else due = true;
    }, o.probe.interval);
  };

  const round = async (): Promise<void> => {
    due = false;
    schedule();
    await Promise.all(o.edges.map(pingOne));
  };

  const edge = (id: string) => o.edges.find((e) => e.id === id);
  return {
    _round: round,
    _check(id) {
      const e = edge(id);
      if (e && !stopped) void pingOne(e);
    },
    _down(id) {
      const e = edge(id);
      if (e) later(e);
    },
    _wake() {
      if (due && !stopped) void round();
    },
    _stop() {
      stopped = true;
      stopRound?.();
      for (const cancel of retry.values()) cancel();
      retry.clear();
    },
  };
}
