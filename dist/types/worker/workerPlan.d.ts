import { type Config, type Source } from '../manifest/manifest.js';
import { type Selection } from '../chain/select.js';
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
export declare function planRequest(cfg: Config, health: HealthView, sel: Selection, url: string, mode: RequestMode, selfOrigin: string): {
    list: Source[];
    path: string;
} | undefined;
