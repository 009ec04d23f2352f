/**
 * Ms that a request on an edge may wait for its answer before the next source is started beside it.
 * `timeout` is the manifest's `failover.timeout`; "auto" is 3 × the edge's smoothed latency + 250 ms,
 * within 400–4000 ms; while the edge's own latency is unknown (its first ping has not answered yet:
 * on a first visit, a hanging edge) the slowest latency measured among the `others` stands in, and
 * 1200 ms before any is known: the page loader's `auto`.
 */
export declare function deadline(timeout: number | 'auto', latency: number | null, others: (number | null)[]): number;
