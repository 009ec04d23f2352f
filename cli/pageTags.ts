// What the Vite plugin and `cdn-loader rewrite` put in a page: by default the page's own manifest inline and
// the inline boot first in <head>, the runtime `async` at the end of <body> (docs/first-visit.md), and with
// plain URLs, where its images and stylesheets go; the one loader tag first in <head> when asked; and, for a
// page whose own <meta> Content-Security-Policy would block the inline boot, the manifest inline and the
// runtime as its one tag there. One place, so the two tools write the same pages.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AssetInput, Manifest } from '../src/types.js';
import { findRule, parseManifest, type Config } from '../src/manifest/manifest.js';
import type { PageFacts, PlainUrl, Tags } from './rewrite.js';
import { packageFile } from './site.js';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
/** ` nonce="…"`, or nothing. */
export const nonceAttr = (nonce?: string) => (nonce ? ` nonce="${escape(nonce)}"` : '');

/**
 * The one loader tag with the manifest by URL, after a preload of the manifest so both download at once
 * (without it the first visit took 18 % longer: docs/vite.md). One line, so `--dry-run` diffs stay line
 * for line.
 */
export const loaderTag = (src: string, manifest: string, nonce?: string): string =>
  `<link rel="preload" href="${escape(manifest)}" as="fetch" crossorigin><script${nonceAttr(nonce)} src="${escape(src)}" data-manifest="${escape(manifest)}"></script>`;

let boot: string | undefined;
/** dist/cdn-loader-boot.js as it goes inline: without its source map comment (the map is not beside the page). */
export const bootScript = (): string =>
  (boot ??= readFileSync(packageFile('cdn-loader-boot.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '').trim());

let hash: string | undefined;
/** The CSP source that allows the inline boot: `'sha256-…'` of its text (computed once: every page's CSP is checked against it). */
export const bootHash = (): string => (hash ??= `'sha256-${createHash('sha256').update(bootScript()).digest('base64')}'`);

/**
 * Whether a Content-Security-Policy lets the inline boot run: its script directive (`script-src-elem`,
 * else `script-src`, else `default-src`) is absent, lists the boot's hash or the page's nonce, or allows
 * 'unsafe-inline', which browsers ignore once a hash, a nonce or 'strict-dynamic' is listed (CSP Level 2).
 */
export function allowsBoot(policy: string, nonce?: string): boolean {
  const directives = new Map<string, string[]>();
  for (const d of policy.split(';')) {
    const [name, ...values] = d.trim().split(/\s+/);
    // The first of a repeated directive counts, as in browsers.
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values);
  }
  const list = directives.get('script-src-elem') ?? directives.get('script-src') ?? directives.get('default-src');
  if (!list) return true;
  if (list.includes(bootHash()) || (nonce && list.includes(`'nonce-${nonce}'`))) return true;
  return list.some((s) => s.toLowerCase() === "'unsafe-inline'") && !list.some((s) => /^'(nonce-|sha(256|384|512)-|strict-dynamic')/i.test(s));
}

/**
 * Why a page cannot carry the inline boot, said for the person who runs the tool; undefined when it can.
 * `plain`: the option that asked for plain URLs, which such a page does without.
 */
export function bootRefused(page: PageFacts, name: string, plain?: string): string | undefined {
  if (page.policies.every((p) => allowsBoot(p, page.nonce))) return;
  return (
    `${name}: its Content-Security-Policy (<meta http-equiv>) blocks inline scripts, so it got the manifest inline and the runtime as one tag, ` +
    `without the inline boot` +
    (plain ? `, and it keeps data-cdn-* for its images and stylesheets (the one tag does not watch plain URLs for hangs: ${plain} left out there)` : '') +
    `; for the faster first visit add ${bootHash()} (the boot's hash) to its script-src, or give its scripts a nonce`
  );
}

/**
 * A page's own copy of the site's manifest, without `$schema`. An entry with the integrity of a file the
 * page does not load leaves its hash out (a page carries only what it uses): it goes, or, where another
 * entry would then register its path without that hash, stays as `{ path, mode: "off" }`, so that a copy
 * loaded later (a placeholder a script adds) comes from the origin, not from an edge unchecked (unless a mode
 * forced for every asset, `?cdn=`, `data-mode` or `setMode()`, overrides its own). With a
 * service worker every page carries the whole manifest: the worker serves the whole site, and its version
 * (the `?v=` it is registered with) is the manifest's, so it must be one per deploy, not one per page.
 */
export function pageManifest(m: Manifest, loaded: string[]): Manifest {
  const { $schema, ...own } = m;
  if (!own.assets || own.serviceWorker) return own;
  const unused = (a: AssetInput | string): a is AssetInput => typeof a != 'string' && !!a.integrity && !loaded.includes(a.path);
  const rest = parseManifest({ assets: own.assets.filter((a) => !unused(a)) }, 'https://localhost/');
  own.assets = own.assets.flatMap((a): (AssetInput | string)[] => (!unused(a) ? [a] : findRule(rest, a.path) ? [{ path: a.path, mode: 'off' }] : []));
  return own;
}

/** The manifest as an inline JSON script: "<" never appears raw in it, so no "</script>" can end it early. */
const manifestScript = (m: Manifest) => `<script type="application/json" id="cdn-manifest">${JSON.stringify(m).replace(/</g, '\\u003c')}</script>`;

export interface HeadPlan {
  /** The site's manifest; each page gets its own copy (pageManifest). */
  manifest: Manifest;
  /** Where pages load the runtime (dist/cdn-loader-runtime.js) from. */
  runtime: string;
  /** The inline boot (default); false: `one` on every page. */
  boot: boolean;
  /** The one loader tag, for `boot: false`. */
  one: (own: Manifest, nonce?: string) => string;
  /** The site's manifest as the loader reads it, with plain URLs (`--plain-urls`, `plainUrls`); else none. */
  plain?: Config;
  /** The boot's own file, named on its tag (`data-boot-src`) for returning visits (`--returning`, cli/returning.ts). */
  bootSrc?: string;
}

/**
 * The markup for one page. With the boot, the runtime goes at the end of <body>, so that it shares the
 * link with nothing the preload scanner found in the page (docs/first-visit.md); its tag names the boot's
 * manifest too (it is the boot's anyway). The boot's tag marks the page as done for a later rewrite. Both
 * scripts carry the page's nonce: a CSP that trusts the page's scripts by nonce trusts these.
 */
export function pageHead(page: PageFacts, plan: HeadPlan): string | Tags {
  const own = pageManifest(plan.manifest, page.loaded);
  if (!plan.boot) return plan.one(own, page.nonce);
  const n = nonceAttr(page.nonce);
  const runtime = `<script${n} src="${escape(plan.runtime)}" data-manifest="#cdn-manifest"></script>`;
  if (bootRefused(page, '')) return manifestScript(own) + runtime;
  // `data-plain`: the boot need not watch the parser of a page of plain URLs on a returning visit (boot.ts).
  const file = plan.bootSrc ? ` data-boot-src="${escape(plan.bootSrc)}"` : '';
  return { head: manifestScript(own) + `<script${n} data-manifest="#cdn-manifest"${page.plain ? ' data-plain' : ''}${file}>${bootScript()}</script>`, end: runtime.replace('<script', '<script async') };
}

/**
 * Where a page's images and stylesheets keep a plain URL: with the boot (the runtime watches them for
 * hangs, src/runtime/plainWatch.ts; the one tag does not), those whose path is of mode `always` go to the
 * first edge, where the preload scanner fetches them with the HTML.
 */
export function plainUrls(page: PageFacts, plan: HeadPlan): PlainUrl | undefined {
  const cfg = plan.plain;
  if (!cfg || !plan.boot || bootRefused(page, '') || !cfg.edges.length) return;
  return (path) => {
    const r = findRule(cfg, path);
    return r && (r.mode ?? cfg.mode) === 'always' ? { url: cfg.edges[0].url + path, integrity: r.integrity } : undefined;
  };
}
