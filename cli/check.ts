// Checks a manifest file with the browser's own validator, so the CLI and the page refuse the same
// manifests with the same messages.
import { ManifestError, parseManifest } from '../src/manifest/manifest.js';
import { jsonError } from './jsonError.js';

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

export type CheckResult =
  | { ok: true; page: string; summary: string; warnings: string[] }
  | { ok: false; page?: string; message: string };

/** Parses and validates the text of a manifest file named `name`; warns about a manifest that would do nothing. */
export function check(text: string, name: string, page?: string): CheckResult {
  let json: unknown;
  // Browsers drop a byte order mark when they decode a fetched manifest.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  try {
    json = JSON.parse(text);
  } catch (e) {
    const at = jsonError(text);
    return { ok: false, message: at ? `cdn-loader: ${name}:${at.line}:${at.column}: not valid JSON: ${at.problem}` : `cdn-loader: ${name} is not valid JSON` };
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
    const warnings: string[] = [];
    if (!c.edges.length) warnings.push(`${name} has no edges: every resource loads from the origin`);
    if (!c.rules.length) warnings.push(`${name} registers no assets: the loader handles no resource`);
    return {
      ok: true,
      page: at,
      warnings,
      summary: `mode ${c.mode}, origin ${c.origin.url}, ${n(c.edges.length, 'edge')} (${c.edges.map((e) => e.id).join(', ') || 'none'}), ${n(c.rules.length, 'asset rule')}`,
    };
  } catch (e) {
    if (e instanceof ManifestError) return { ok: false, page: at, message: e.message };
    throw e;
  }
}
