/**
 * What "late" means. An attempt (one resource on one source) is late when it has shown no sign of
 * life for one deadline, and nor has its source while the attempt may have been waiting for a
 * connection. Signs of life: its own response arriving (an image that knows its size has its first
 * bytes; a Resource Timing entry or a complete image is an answer whose event waits behind a busy
 * main thread), and, while more than six attempts are in flight on the source (browsers open six
 * connections per host over HTTP/1.1, and need not send requests in the order they were made),
 * anything arriving or finishing there. With six or fewer in flight every request is out, so a
 * stuck object on a busy edge is left one deadline after it started, however much else finishes.
 */
export interface Attempt {
    _id: string;
    /** Its start, or its source's last sign of life while it may have been waiting for a connection. */
    _seen: number;
    /** Whether its own response is arriving or in. */
    _arriving: () => boolean;
    /** Re-checks its deadline now; `now`: it is late now, needing no idle check (its source is dead). */
    _check: (now?: boolean) => void;
}
/** The "auto" deadline for a latency in ms (-1: unknown): 3 × latency + 250 ms, within 400–4000 ms. */
export declare const auto: (l: number) => number;
/**
 * Half the page's own time to first byte (from navigation start), or -1: what an edge's latency is
 * taken to be before any edge has answered a ping. The page's time to first byte is the far origin's
 * distance with its connection set-up (two round trips); edges are there to be nearer, and the first
 * requests to an edge pay for its connection too.
 */
export declare function pageLatency(): number;
/**
 * Whether a response from `base` (a source URL) for `url` is arriving or in: the element's own
 * image when it loads from `base` (srcset may have picked another URL than `url`) knows its size or
 * is complete; otherwise Resource Timing has an entry (a preload, a hedge's copy). An image loading
 * `live` (into the element itself) is judged by the element alone: an entry under `url` may be
 * another element's (a <picture>'s <img src>, which it does not request, measured in Chromium: the
 * entry of another image's answer kept it "arriving" for ever).
 */
export declare function arriving(url: string, base: string, el: Element, live?: boolean): boolean;
/** The failure detector's view of every attempt in flight, by source; `ms` is a source's deadline. */
export declare function deadlines(ms: (id: string) => number): {
    /** Starts watching one attempt on source `id`. */
    _begin(id: string, arriving: () => boolean, check: (now?: boolean) => void): Attempt;
    /** The attempt ended: `ok` when it loaded. */
    _end(a: Attempt, ok: boolean): void;
    /** Ms until `a` is late. Signs of life are looked for only once its deadline passed. */
    _remaining(a: Attempt): number;
    /** Whether source `id` delivered something in the last `within` ms (never: undefined > x is false). */
    _busy: (id: string, within: number) => boolean;
    /**
     * Source `id` went down: its attempts are checked again (lazy ones that have not started move). When
     * nothing has ever arrived there, it is dead, not busy: every attempt of it is late at once, instead
     * of each waiting for its own deadline and idle check (on a first visit to a hanging edge).
     */
    _down(id: string): void;
};
export type Deadlines = ReturnType<typeof deadlines>;
