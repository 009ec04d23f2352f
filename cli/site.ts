// `cdn-loader rewrite <dir>`: runs the shared HTML rewrite over every page of a static site's output and
// puts the runtime (or the loader) and the probe image beside them.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diff, rewriteHtml, UnsafeHtml, type RewriteOptions } from './rewrite.js';

/** The probe image every edge answers (a 1×1 transparent GIF). */
export const PROBE_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** A file of this package's dist/ (`cdn-loader.js`), found from wherever this code was bundled to. */
export function packageFile(name: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'cdn-loader' && existsSync(join(dir, 'dist', name))) return join(dir, 'dist', name);
    } catch {
      // No package.json here: look further up.
    }
    if (dirname(dir) === dir) throw new Error(`cdn-loader: cannot find dist/${name} of the cdn-loader package`);
  }
}

/** The folder of the returning pages (cli/returning.ts), written anew by every run, so never a page to rewrite. */
export const RETURNING_DIR = 'cdn-returning';

/** Every `.html` file under `dir`, dotfolders, node_modules and (at the top) the returning pages left out. */
export function htmlFiles(dir: string, top = true): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (name.startsWith('.') || name === 'node_modules' || (top && name === RETURNING_DIR)) return [];
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return htmlFiles(full, false);
      return /\.html?$/i.test(name) ? [full] : [];
    });
}

/** The URL path of a file in the site (`blog/index.html` → `/blog/index.html`). */
export const sitePath = (root: string, file: string): string =>
  '/' + relative(root, file).split(sep).map(encodeURIComponent).join('/');

export interface SiteResult {
  /** Pages changed (or that would change, on a dry run), with their diff. */
  changed: { file: string; diff: string; renamed: number; tagged: boolean }[];
  unchanged: number;
  /** Pages refused, each with its message. */
  refused: string[];
}

/** Rewrites every page under `root`; writes nothing when `dry`. */
export function rewriteSite(root: string, o: Pick<RewriteOptions, 'registered' | 'origins' | 'tag' | 'plain'> & { dry?: boolean }): SiteResult {
  const r: SiteResult = { changed: [], unchanged: 0, refused: [] };
  for (const file of htmlFiles(root)) {
    const name = relative(root, file).split(sep).join('/');
    const bytes = readFileSync(file);
    const html = bytes.toString('utf8');
    // Bytes that are not UTF-8 would not survive being written back.
    if (!Buffer.from(html, 'utf8').equals(bytes)) {
      r.refused.push(`cdn-loader: ${name}: not UTF-8; rewriting it would change its bytes. Convert it to UTF-8, or leave it out of the folder`);
      continue;
    }
    let out;
    try {
      out = rewriteHtml(html, { ...o, page: sitePath(root, file) });
    } catch (e) {
      if (!(e instanceof UnsafeHtml)) throw e;
      r.refused.push(`cdn-loader: ${name}:${e.message}; left as it is. Fix the HTML and run again`);
      continue;
    }
    if (out.html === html) {
      r.unchanged++;
      continue;
    }
    if (!o.dry) writeFileSync(file, out.html);
    r.changed.push({ file: name, diff: diff(name, html, out.edits), renamed: out.attributes, tagged: out.tagged });
  }
  return r;
}
