/**
 * What the loader may run. A `data-cdn-*` placeholder is markup, and markup can be injected (a
 * comment field, a template): the loader must never give it more power than the browser would.
 * See docs/security.md.
 */

/** The script URLs the loader chose for registered assets: the only ones its Trusted Types policy signs. */
const signed = new Set<string>();

/** Records a URL the loader itself chose for a registered script. */
export const sign = (url: string): void => void signed.add(url);

interface TrustedTypes {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): string };
}
let policy: ReturnType<TrustedTypes['createPolicy']> | null | undefined;

/**
 * Pages that require Trusted Types for scripts (`require-trusted-types-for 'script'`) reject plain
 * strings as script URLs; the loader's own policy admits only the URLs it signed, so nothing else
 * on the page can launder a URL through it.
 */
export function trusted(url: string): string {
  if (policy === undefined)
    try {
      policy = (window as { trustedTypes?: TrustedTypes }).trustedTypes?.createPolicy('cdn-loader', {
        createScriptURL(u) {
          if (!signed.has(u)) throw new TypeError(u);
          return u;
        },
      });
    } catch {
      // A CSP `trusted-types` list without "cdn-loader", or a second copy of the loader.
      policy = null;
    }
  return policy ? policy.createScriptURL(url) : url;
}

/**
 * Why a `<script data-cdn-src>` may not run, or '' when it may. Under a nonce it must carry the
 * page's nonce itself (the loader never lends its own: an attacker cannot know the nonce). Without
 * one, a placeholder that appeared after the page was parsed (`late`) may have come from `innerHTML`,
 * which never runs scripts natively: such a one runs only through `CDNLoader.load()`.
 */
export function refusal(el: HTMLScriptElement, nonce: string | undefined, late: boolean): string {
  return nonce ? (el.nonce === nonce ? '' : 'has no nonce="…" of the page') : late ? 'added after parsing: use CDNLoader.load()' : '';
}
