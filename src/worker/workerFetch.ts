import { ORIGIN, type Source } from '../manifest/manifest.js';
import { race } from '../chain/race.js';
import { timer } from '../chain/chain.js';

/** What one request's failover needs from the worker around it. */
export interface FailoverOptions {
  /** Ms until an attempt on `source` started at `since` is late; null: never (the origin must give null). */
  remaining(source: Source, since: number): number | null;
  /** Response headers arrived from `source` (for the per-source clock). */
  answered(source: Source): void;
  /** `source` failed in a way that is its own fault: a network error, a 5xx, no answer in time. */
  failed(source: Source): void;
}

/** Statuses whose responses have no body (fetch never resolves with a 1xx). */
const EMPTY = [204, 205, 304];

/**
 * The request `req` as sent to `url`: method, headers, mode, credentials, cache, redirect, referrer and
 * integrity kept. A no-cors request is sent in CORS mode without cookies (`upgrade`), so that its
 * status can be read and the page gets what it would get from its own origin (a readable image, a
 * script whose errors are not muted); edges send Access-Control-Allow-Origin for it.
 */
function copy(req: Request, url: string, signal: AbortSignal, upgrade: boolean): Request {
  return new Request(url, {
    method: req.method,
    headers: req.headers,
    mode: upgrade ? 'cors' : req.mode,
    credentials: upgrade ? 'same-origin' : req.credentials,
    cache: req.cache === 'only-if-cached' ? 'default' : req.cache,
    redirect: req.redirect,
    referrer: req.referrer,
    referrerPolicy: req.referrerPolicy,
    integrity: req.integrity,
    signal,
  });
}

/**
 * The response as the page gets it: under the URL it asked for, so that a module keeps its identity
 * (the module map and relative imports go by that URL) whichever source served it. An opaque
 * response (status 0) cannot be rebuilt and is passed on as it is.
 */
export function keepUrl(res: Response, url: string): Response {
  if (!res.status || res.url === url) return res;
  return new Response(EMPTY.includes(res.status) ? null : res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Failovers under way, by path and request kind: a request for the same thing joins the one running. */
const running = new Map<string, (req: Request) => Promise<Response>>();

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
export function failover(req: Request, list: Source[], path: string, o: FailoverOptions): Promise<Response> {
  const key = [path, req.mode, req.credentials, req.integrity].join('\n');
  const join = running.get(key);
  if (join) return join(req);
  const waiting: { req: Request; resolve: (r: Response) => void }[] = [];
  // Attempts stop only when every request that waits for them was dropped by the page.
  const all = new AbortController();
  let users = 0;
  const add = (q: Request) =>
    new Promise<Response>((resolve) => {
      users++;
      waiting.push({ req: q, resolve });
      q.signal?.addEventListener('abort', () => --users || all.abort());
    });
  running.set(key, add);
  const first = add(req);
  attempt(req, list, path, o, all.signal).then(([res, moved]) => {
    // Every copy is made before anyone reads the body. After a failover, a spare copy answers the same
    // request for a moment longer: the loader's own hedge may come just after the worker's hedge won.
    const spare = moved && res ? res.clone() : undefined;
    const copies = waiting.map((_, i) => (res && i ? res.clone() : res));
    waiting.forEach((w, i) => w.resolve(copies[i] ? keepUrl(copies[i]!, w.req.url) : Response.error()));
    if (!spare) return running.delete(key);
    running.set(key, (q) => Promise.resolve(keepUrl(spare.clone(), q.url)));
    setTimeout(() => {
      running.delete(key);
      void spare.body?.cancel().catch(() => {});
    }, GRACE);
  });
  return first;
}

/** How long a spare copy of a response that failed over answers the same request (ms). */
const GRACE = 2000;

/** Runs the race over `list`; resolves with the winner's response or the last answer, if any, and whether it moved past the first source. */
async function attempt(req: Request, list: Source[], path: string, o: FailoverOptions, dropped: AbortSignal): Promise<[Response | undefined, boolean]> {
  const won = new Map<number, Response>();
  let last: Response | undefined;
  const i = await race(list, {
    _start(s, _live, done) {
      const ctrl = new AbortController();
      const stop = () => ctrl.abort();
      dropped.addEventListener('abort', stop);
      const url = s.url + path;
      // A request that cannot be built (a header no-cors does not allow) is the page's, not the source's: it rejects apart.
      const send = (upgrade: boolean): Promise<Response> => {
        let r: Request;
        try {
          r = url === req.url && !upgrade ? new Request(req, { signal: ctrl.signal }) : copy(req, url, ctrl.signal, upgrade);
        } catch {
          return fetch(req, { signal: ctrl.signal });
        }
        return fetch(r);
      };
      const upgrade = req.mode === 'no-cors';
      send(upgrade)
        // An edge that sends no CORS headers fails a CORS request as if it were down: ask it as the page did.
        .catch((e) => (upgrade && !ctrl.signal.aborted ? send(false) : Promise.reject(e)))
        .then(
          (res) => {
            o.answered(s);
            // Status 0: an opaque answer, whose status nobody can read.
            if (res.status < 400) {
              won.set(list.indexOf(s), res);
              return done('ok');
            }
            last = res;
            if (res.status >= 500 && s.id !== ORIGIN) o.failed(s);
            done('error');
          },
          () => {
            if (ctrl.signal.aborted) return;
            if (s.id !== ORIGIN) o.failed(s);
            done('error');
          },
        );
      return stop;
    },
    _remaining: o.remaining,
    _moved(from, _to, reason) {
      if (reason === 'timeout') o.failed(from);
    },
    _now: () => performance.now(),
    _setTimer: timer,
  });
  return [won.get(i) ?? last, i !== 0];
}
