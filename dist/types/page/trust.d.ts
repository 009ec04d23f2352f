/**
 * What the loader may run. A `data-cdn-*` placeholder is markup, and markup can be injected (a
 * comment field, a template): the loader must never give it more power than the browser would.
 * See docs/security.md.
 */
/** Records a URL the loader itself chose for a registered script. */
export declare const sign: (url: string) => void;
/**
 * Pages that require Trusted Types for scripts (`require-trusted-types-for 'script'`) reject plain
 * strings as script URLs; the loader's own policy admits only the URLs it signed, so nothing else
 * on the page can launder a URL through it.
 */
export declare function trusted(url: string): string;
/**
 * Why a `<script data-cdn-src>` may not run, or '' when it may. Under a nonce it must carry the
 * page's nonce itself (the loader never lends its own: an attacker cannot know the nonce). Without
 * one, a placeholder that appeared after the page was parsed (`late`) may have come from `innerHTML`,
 * which never runs scripts natively: such a one runs only through `CDNLoader.load()`.
 */
export declare function refusal(el: HTMLScriptElement, nonce: string | undefined, late: boolean): string;
