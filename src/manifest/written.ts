import { httpUrl, locate } from '../lib/urls.js';
import { remember, type Config, type Source } from './manifest.js';

/**
 * The runtime parses each URL once for the document's base: it asks for those of an element several times
 * as it takes the element (plainWatch.ts, loader.ts `run`, `where`, `map`), most as the page starts, when
 * its code still runs cold (bench §12). Answers for one base only: a new base (a `<base>` added, a
 * `pushState` without one) starts afresh, so at most 1,000 URLs are ever kept.
 */
let base: string | undefined;
let resolve: (url: string) => string;
const remembered = (url: string): string => {
  const b = document.baseURI;
  if (b !== base) (base = b), (resolve = remember((u) => httpUrl(u, b)));
  return resolve(url);
};

/** A URL as the page writes it, made absolute if it is http(s) (only that is ever set on an element), else ''. */
export const http = (url: string): string => (__RUNTIME__ ? remembered(url) : httpUrl(url, document.baseURI));

/** A URL as the page writes it, made absolute; only http(s) is ever set on an element. */
export const abs = (url: string): string => http(url) || 'about:invalid';

/** Where a URL as the page writes it points under the manifest: its source (none: the page's own origin) and asset path. */
export type Where = (written: string) => { source?: Source; path: string } | undefined;

/**
 * Where written URLs point under the manifest in force, `cfg()`, each answer remembered for that manifest.
 * The runtime asks for an element's URLs several times as it takes the element (runtime/plainWatch.ts,
 * loader.ts `run` and `map`, the chain's events), most as the page loads: a page of 40 images asks some 200
 * times, and each ask built the list of sources and read `location.origin` again.
 */
export function place(cfg: () => Config): Where {
  let known: Config | undefined;
  let at: (url: string) => ReturnType<Where>;
  return (written) => {
    const c = cfg();
    if (known !== c) (known = c), (at = remember((url) => locate(url, [c.origin, ...c.edges], location.origin)));
    return at(abs(written));
  };
}
