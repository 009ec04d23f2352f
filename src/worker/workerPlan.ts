import { findRule, type Config, type Source } from '../manifest/manifest.js';
import { candidates, choose, type Choice, type Selection } from '../chain/select.js';
import { locate } from '../lib/urls.js';

/** What the worker knows of an edge's health (Health satisfies it). */
export interface HealthView {
  isUp(id: string): boolean;
  latency(id: string): number | null;
}

/**
 * The sources a request of the page tries, in order, and the asset path to append to each; undefined
 * when the worker leaves the request alone (not a registered path, or nothing to fail over to). The
 * loader's rules: the rule's mode, weights, `sticky`, healthy edges, `failover.retries`, the origin
 * last. A URL that names a healthy edge (the loader chose it) starts there; a `same-origin` request is
 * only ever answered by the origin.
 */
export function planRequest(cfg: Config, health: HealthView, sel: Selection, url: string, mode: RequestMode, selfOrigin: string): { list: Source[]; path: string } | undefined {
  const at = locate(url, [cfg.origin, ...cfg.edges], selfOrigin);
  const rule = at && findRule(cfg, at.path);
  if (!at || !rule) return;
  const choice: Choice = {
    _mode: rule.mode ?? cfg.mode,
    _sticky: cfg.sticky,
    _origin: cfg.origin,
    _healthy: mode === 'same-origin' ? [] : cfg.edges.filter((e) => health.isUp(e.id)),
    _latency: (id) => health.latency(id),
  };
  const named = at.source && choice._healthy.includes(at.source) && choice._mode !== 'off' ? at.source : undefined;
  const list = candidates(choice, named ?? choose(choice, at.path, sel), cfg.failover.retries);
  if (list.length === 1 && list[0].url + at.path === url) return;
  return { list, path: at.path };
}
