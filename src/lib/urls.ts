import type { Source } from '../manifest/manifest.js';

/** The absolute form of `url` (relative to `base`) when it is http(s), else ''. */
export function httpUrl(url: string, base: string): string {
  try {
    const u = new URL(url, base).href;
    if (/^https?:/.test(u)) return u;
  } catch {
    // Not a URL at all.
  }
  return '';
}

/**
 * Where an absolute URL points: the source whose URL is its longest prefix (none: on the page's origin),
 * and the asset path after it.
 */
export function locate(url: string, sources: readonly Source[], pageOrigin: string): { source?: Source; path: string } | undefined {
  let best: Source | undefined;
  for (const s of sources)
    if ((url === s.url || url.startsWith(s.url + '/') || url.startsWith(s.url + '?')) && (!best || s.url.length > best.url.length)) best = s;
  if (best || url === pageOrigin || url.startsWith(pageOrigin + '/')) return { source: best, path: url.slice((best ? best.url : pageOrigin).length) || '/' };
}

/**
 * One candidate of a `srcset`: its URL (a run of non-spaces; commas inside it stay, trailing ones end
 * the candidate), then its descriptor up to the next comma.
 */
const CANDIDATE = /([^\s,](?:\S*[^\s,])?)(?:,+(?!\S)|([^,]*))/g;

/** Rewrites every URL in a `srcset` value, keeping the descriptors; a `data:` image stays as written. */
export const mapSrcset = (value: string, map: (url: string) => string): string =>
  Array.from(
    value.matchAll(CANDIDATE),
    ([, url, descriptor = '']) => (/^data:/i.test(url) ? url : map(url)) + ((descriptor = descriptor.trim()) && ' ' + descriptor),
  ).join(', ');
