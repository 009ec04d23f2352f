import { type Source } from '../manifest/manifest.js';
/** What one request's failover needs from the worker around it. */
export interface FailoverOptions {
    /** Ms until an attempt on `source` started at `since` is late; null: never (the origin must give null). */
    remaining(source: Source, since: number): number | null;
    /** Response headers arrived from `source` (for the per-source clock). */
    answered(source: Source): void;
    /** `source` failed in a way that is its own fault: a network error, a 5xx, no answer in time. */
    failed(source: Source): void;
}
/**
 * The response as the page gets it: under the URL it asked for, so that a module keeps its identity
 * (the module map and relative imports go by that URL) whichever source served it. An opaque
 * response (status 0) cannot be rebuilt and is passed on as it is.
 */
export declare function keepUrl(res: Response, url: string): Response;
/**
 * Fetches a registered request from its candidate sources in order (`path` appended to each source
 * URL). A source that fails (network error, 5xx) or gives no response headers within its deadline has
 * the next one started (beside it, when late); the first response that starts wins and is never
 * abandoned. A 4xx moves on too, but is not counted against the source. Resolves with the winner's
 * response, else the last answer received (the origin's 404, say), else a network error.
 *
 * A request for the same path (same mode, credentials and integrity) made while one is under way joins
 * it and gets a copy of its response: on a controlled page the loader's own hedge for an element (its
 * copy on the next edge) and the worker's hedge for the same element would otherwise both ask that edge.
 */
export declare function failover(req: Request, list: Source[], path: string, o: FailoverOptions): Promise<Response>;
