import { ORIGIN, type Source } from './manifest.js';
import { race } from './race.js';
import { timer } from './chain.js';

/** What one request's failover needs from the worker around it. */
export interface FailoverOptions {
  /** Ms until an attempt on `source` started at `since` is late; null: never (the origin). */
  remaining(source: Source, since: number): number | null;
  /** Response headers arrived from `source` (for the per-source clock). */
  answered(source: Source): void;
  /** `source` failed in a way that is its own fault: a network error, a 5xx, no answer in time. */
  failed(source: Source): void;
}

/** Statuses whose responses have no body. */
const EMPTY = [101, 204, 205, 304];

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

/**
 * Fetches a registered request from its candidate sources in order (`path` appended to each source
 * URL). A source that fails (network error, 5xx) or gives no response headers within its deadline has
 * the next one started (beside it, when late); the first response that starts wins and is never
 * abandoned. A 4xx moves on too, but is not counted against the source. Resolves with the winner's
 * response, else the last answer received (the origin's 404, say), else a network error.
 */
export async function failover(req: Request, list: Source[], path: string, o: FailoverOptions): Promise<Response> {
  const won = new Map<number, Response>();
  let last: Response | undefined;
  const i = await race(list, {
    start(s, _live, done) {
      const ctrl = new AbortController();
      // The page may drop the request (an image taken out of the page): every attempt stops then.
      const stop = () => ctrl.abort();
      req.signal?.addEventListener('abort', stop);
      const url = s.url + path;
      const send = (upgrade: boolean): Promise<Response> => fetch(url === req.url && !upgrade ? new Request(req, { signal: ctrl.signal }) : copy(req, url, ctrl.signal, upgrade));
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
    remaining: (s, since) => (s.id === ORIGIN ? null : o.remaining(s, since)),
    moved(from, _to, reason) {
      if (reason === 'timeout') o.failed(from);
    },
    now: () => performance.now(),
    setTimer: timer,
  });
  const res = won.get(i) ?? last;
  return res ? keepUrl(res, req.url) : Response.error();
}
