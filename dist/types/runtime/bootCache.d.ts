/**
 * The cookie that tells the server the boot's file is in this browser's HTTP cache: its value is the file's URL
 * as the page names it. (An underscore: nginx reads a cookie by a variable, `$cookie_cdn_boot`, whose name cannot
 * hold a hyphen; `cdn-boot` never matched in e2e/nginxOrigin.spec.ts.)
 */
export declare const BOOT_COOKIE = "cdn_boot";
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
export declare function cacheBoot(booted: boolean): void;
