import { httpUrl } from '../lib/urls.js';
import { remember } from './manifest.js';

/**
 * The runtime parses each URL once per document base: it asks for those of an element several times as
 * it takes the element (plainWatch.ts, loader.ts `run`, `where`, `map`), most as the page starts, when its
 * code still runs cold (bench §12).
 */
const parsed = /* @__PURE__ */ remember((base) => remember((url) => httpUrl(url, base)));

/** A URL as the page writes it, made absolute if it is http(s) (only that is ever set on an element), else ''. */
export const http = (url: string): string => (__RUNTIME__ ? parsed(document.baseURI)(url) : httpUrl(url, document.baseURI));

/** A URL as the page writes it, made absolute; only http(s) is ever set on an element. */
export const abs = (url: string): string => http(url) || 'about:invalid';
