import type { Source } from './manifest.js';

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

/** Where an absolute URL points: the source whose URL is its longest prefix, and the asset path after it. */
export function locate(url: string, sources: readonly Source[], pageOrigin: string): { source?: Source; path: string } | undefined {
  let best: Source | undefined;
  for (const s of sources)
    if ((url === s.url || url.startsWith(s.url + '/') || url.startsWith(s.url + '?')) && (!best || s.url.length > best.url.length)) best = s;
  if (best) return { source: best, path: url.slice(best.url.length) || '/' };
  if (url === pageOrigin || url.startsWith(pageOrigin + '/')) return { path: url.slice(pageOrigin.length) || '/' };
  return undefined;
}

/** Rewrites every URL in a `srcset` value, keeping the descriptors. */
export function mapSrcset(value: string, map: (url: string) => string): string {
  const out: string[] = [];
  const n = value.length;
  let i = 0;
  while (i < n) {
    while (i < n && /[\s,]/.test(value[i])) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && !/\s/.test(value[j])) j++;
    let url = value.slice(i, j);
    let descriptor = '';
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      let k = j;
      while (k < n && value[k] !== ',') k++;
      descriptor = value.slice(j, k).trim();
      j = k;
    }
    out.push(map(url) + (descriptor ? ' ' + descriptor : ''));
    i = j;
  }
  return out.join(', ');
}
