import { idle } from '../chain/chain.js';

/**
 * The cookie that tells the server the boot's file is in this browser's HTTP cache: its value is the file's URL
 * as the page names it. (An underscore: nginx reads a cookie by a variable, `$cookie_cdn_boot`, whose name cannot
 * hold a hyphen; `cdn-boot` never matched in e2e/nginxOrigin.spec.ts.)
 */
export const BOOT_COOKIE = 'cdn_boot';

const cookie = (value: string, age: number) =>
  (document.cookie = `${BOOT_COOKIE}=${value}; path=/; max-age=${age}; samesite=lax${location.protocol == 'https:' ? '; secure' : ''}`);

/**
 * Returning visits without the inline boot's bytes (docs/first-visit.md, "Returning visits"). An
 * inline boot that names its file (`data-boot-src`, same origin) has the runtime fetch that file into
 * the HTTP cache once the page has loaded and the browser is idle, and then set the cookie
 * `cdn_boot` to that URL, if the file is the inline boot's text and may be cached. A server that sees
 * the cookie with the URL it would name writes `<script src>` for the boot instead of inlining it: a
 * returning page carries ~3 kB less HTML, and its boot comes from the cache. Another origin's file, a
 * failed fetch, one the page's CSP refuses, another text (a site's fallback page) or `no-store` /
 * `no-cache` set nothing: the server goes on inlining. A page whose boot tag names the cookie's file by
 * `src` but whose boot did not run (`booted` false: blocked, or gone from the cache and the server) takes
 * the cookie back for a day.
 */
export function cacheBoot(booted: boolean): void {
  try {
    const tag = document.querySelector<HTMLScriptElement>('script[data-boot-src]:not([src])');
    const src = tag?.dataset.bootSrc;
    const value = document.cookie.split('; ').find((c) => c.startsWith(BOOT_COOKIE + '='))?.slice(BOOT_COOKIE.length + 1);
    if (!tag || !src) {
      // (Taken back for a day as "-", which names no file: a boot that a CSP blocks by URL would otherwise be
      // cached and named again by the next inline page, every other page.)
      if (value && !booted && [...document.scripts].some((s) => encodeURIComponent(s.getAttribute('src')!) == value)) cookie('-', 86400);
      return;
    }
    const url = new URL(src, document.baseURI);
    if (url.origin != location.origin || value == '-' || value == encodeURIComponent(src)) return;
    const go = () =>
      idle(() =>
        fetch(url, { priority: 'low' } as RequestInit)
          // The whole body, whatever the answer: the cache entry (and the fetch's timing entry) ends once it is read.
          .then((r) => r.text().then((text) => (r.ok && !/no-store|no-cache|max-age=0\b/.test(r.headers.get('cache-control') || '') ? text : '')))
          // (30 days; the value the page's own URL, the same for every visitor.)
          .then((text) => text && text.trim() == tag.text.trim() && cookie(encodeURIComponent(src), 2592000))
          .catch(() => undefined),
      );
    if (document.readyState == 'complete') go();
    else addEventListener('load', go, { once: true });
  } catch {
    // A document without cookies (an opaque origin), a URL it cannot read: the server goes on inlining.
  }
}
