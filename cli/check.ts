// Checks a manifest file with the browser's own validator, so the CLI and the page refuse the same
// manifests with the same messages.
import { ManifestError, parseManifest } from '../src/lib/manifest.js';

/** Checked when a manifest names no origin and no `--page` is given: https, the strict case for mixed content. */
export const DEFAULT_PAGE = 'https://localhost/';

/** The page a manifest is checked for: `page`, else the manifest's origin, else DEFAULT_PAGE. */
export function pageFor(manifest: unknown, page?: string): string {
  if (page) return page;
  const o = manifest && typeof manifest === 'object' ? (manifest as { origin?: unknown }).origin : undefined;
  const url = o && typeof o === 'object' ? (o as { url?: unknown }).url : o;
  if (typeof url === 'string' && /^https?:\/\//i.test(url))
    try {
      return new URL('/', url).href;
    } catch {
      // Not a URL: the validator says so below.
    }
  return DEFAULT_PAGE;
}

export type CheckResult = { ok: true; page: string; summary: string } | { ok: false; page?: string; message: string };

/** Parses and validates the text of a manifest file named `name`. */
export function check(text: string, name: string, page?: string): CheckResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `cdn-loader: ${name} is not valid JSON (${(e as Error).message})` };
  }
  const at = pageFor(json, page);
  try {
    new URL(at);
  } catch {
    return { ok: false, message: `cdn-loader: --page ${JSON.stringify(at)} is not a URL` };
  }
  try {
    const c = parseManifest(json, at);
    const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
    return {
      ok: true,
      page: at,
      summary: `mode ${c.mode}, origin ${c.origin.url}, ${n(c.edges.length, 'edge')} (${c.edges.map((e) => e.id).join(', ') || 'none'}), ${n(c.rules.length, 'asset rule')}`,
    };
  } catch (e) {
    if (e instanceof ManifestError) return { ok: false, page: at, message: e.message };
    throw e;
  }
}
