import type { ReportRow } from '../types.js';
import type { Source } from '../manifest/manifest.js';
import { listen, type ChainContext, type Kind } from '../chain/chain.js';
import { HANDOVER } from '../boot/handover.js';

/** A resource the boot started, claimed by the runtime. */
export interface Claimed {
  /** Its candidates as the runtime would choose them → where it goes on: its current source first, without those it failed on. */
  _cands(cands: Source[]): Source[];
  /** Hooks the chain of its kind onto what the boot did: late events, report, deadline, blame. */
  _adopt(kind: Kind, ctx: ChainContext, row: ReportRow): void;
}

/** What the runtime takes over from the inline boot (`window.CDNBoot`). */
export interface Takeover {
  /**
   * Claims the boot's record of the resource led by `el`: undefined when the boot did not start it,
   * null when it stays the boot's (a boot of another version, which keeps failing it over itself; or,
   * loaded or failed to its end, on a source not in `sources`).
   */
  _claim(el: Element, sources: Source[]): Claimed | null | undefined;
  /** Error events of plain registered elements that happened before the runtime ran. */
  _errors: Event[];
  /**
   * The sources the boot's resources failed on, except those of a resource that failed on every source (the
   * asset's fault, not the edges', chain.ts `blamed`): down for the runtime too, until their probe answers.
   */
  _down: string[];
  /** The manifest named on the boot's tag. */
  _manifest: string;
  /** `data-mode` on the boot's tag. */
  _mode?: string | null;
  /** Whether the boot started `el` and the runtime has not claimed it yet (a plain element the boot moved: plainWatch.ts). */
  _has(el: Element): boolean;
  /** Hands `el`'s chain its first attempt `c` (a plain element still loading, runtime/plainWatch.ts): `_claim` gives it. */
  _plain: Map<Element, Claimed>;
}

/**
 * Takes over from the inline boot, if one ran: it stops the boot's observer (the runtime's own
 * watcher scans the page and binds every element from now on), and claims each element the boot
 * started when the runtime binds it, so the boot fails it over until that moment and nothing happens
 * twice. A boot of another version keeps the elements it started (the runtime leaves them be), and stops
 * taking new ones too.
 */
export function takeover(boot = window.CDNBoot): Takeover | undefined {
  if (!boot) return;
  const ours = boot.v === HANDOVER;
  // Whatever its release, the boot stops taking elements: the runtime's watcher binds every one from now
  // on, and two loaders on one element would fight. (Stopping, it takes what the parser just handed over:
  // its records are read after.)
  boot.stop?.();
  const records = new Map(boot.records.map((r) => [r.el, r]));
  if (!ours)
    console.warn(
      `cdn-loader: the inline boot is not of this runtime's release (handover ${boot.v}, expected ${HANDOVER}): inline dist/cdn-loader-boot.js of the same release; the boot keeps what it started`,
    );
  const plain = new Map<Element, Claimed>();
  return {
    _plain: plain,
    _errors: ours ? boot.errors.splice(0) : [],
    // (Read as the runtime starts: the manifest it then applies is the boot's, inline.)
    _down: ours ? boot.records.flatMap((r) => (r.done < 0 ? [] : r.failed)) : [],
    _manifest: boot.manifest,
    _mode: boot.mode,
    _has: (el) => records.has(el),
    _claim(el, sources) {
      const p = plain.get(el);
      if (p) return plain.delete(el), p;
      const r = records.get(el);
      const find = (id: string) => sources.find((s) => s.id === id);
      const at = r && find(r.from);
      const script = el instanceof HTMLScriptElement;
      // Another release's boot keeps its images and stylesheets; its script preloads are only preloads. On
      // a source this runtime does not have (it refused the manifest the boot read, and loads from the
      // origin), what the boot loaded, or failed over to its end, stays as it is (fetched once); what is
      // still loading starts afresh, as a script does: the boot has no deadline, and a hang would be for ever.
      if (!r || !ours || (!at && r.done && !script)) return r && !script ? null : undefined;
      records.delete(el);
      r.taken = true;
      if (!at) return;
      const from = r.done < 0 ? undefined : at;
      const failed = r.failed.map(find).filter((s) => !!s);
      let since = r.t;
      return {
        _cands: (cands) => (from ? [from, ...cands.filter((s) => s !== from && !failed.includes(s))] : []),
        _adopt(kind, ctx, row) {
          const { _start: start, _end: end } = kind;
          const begin = ctx._begin;
          // The boot's request started earlier: its deadline counts from then, not from now.
          ctx._begin = (s, check, live) => {
            const a = begin(s, check, live);
            if (since) (a._seen = since), (since = 0);
            return a;
          };
          // Its failures count against their edges once a later source served it (chain.ts blamed).
          kind._end = (w, origin) => (w && ctx._blame(failed), end(w, origin));
          // Its first attempt is the boot's: loaded already (it wins at once, nothing is fetched again), or
          // still loading (the element's own events, or the boot's preload of a script, tell its end). Loaded
          // on `from`: since the boot last moved it (an image of a <picture> that loaded, then failed when
          // another <source> came to match, and was moved on keeps its first `done`).
          const loaded = r.done >= r.t;
          kind._start = (s, live, done) =>
            s !== from || !live
              ? start(s, live, done)
              : loaded
                ? (done('ok'), () => {})
                : r.link
                  ? listen(r.link, (ok) => done(ok ? 'ok' : 'error'))
                  : start(s, live, done);
          if (loaded && !r.link) kind._won = from;
          row.tried = r.failed.slice();
          // The boot's moves, told late.
          failed.forEach((s, i) => (failed[i + 1] || from) && ctx._moved(kind, s, failed[i + 1] || from!, 'error'));
        },
      };
    },
  };
}
