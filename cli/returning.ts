// `cdn-loader rewrite --returning`: returning visits without the inline boot's bytes (docs/first-visit.md,
// "Returning visits"). The boot goes beside the pages as a file named by its content, every inline boot
// names it (`data-boot-src`, so the runtime caches it and sets the cookie `cdn_boot`), and every page gets a
// twin under cdn-returning/<hash>/ with `<script src>` for the boot instead: what the origin serves to a
// browser whose cookie names this boot (recipes/nginx-origin.conf).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import { bootScript } from './pageTags.js';
import { RETURNING_DIR } from './site.js';

/** The boot's file: its name carries its content's hash, so it can be cached for a year and a new boot is a new URL. Its text is the inline boot's. */
export function bootFile(): { hash: string; name: string; body: string } {
  const body = bootScript();
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 8);
  return { hash, name: `cdn-loader-boot.${hash}.js`, body };
}

const html = 'http://www.w3.org/1999/xhtml';
/** Elements in document order, not inside `<template>` (inert there), HTML ones only (an SVG `<script>` is no boot). */
const elements = (n: T.ParentNode): T.Element[] =>
  n.childNodes.flatMap((c) => ('tagName' in c && c.namespaceURI === html ? [c, ...(c.tagName === 'template' ? [] : elements(c))] : []));
const has = (e: T.Element, name: string) => e.attrs.some((a) => a.name === name);

/** The page's inline boot: the first `<script data-manifest>` without `src` that has a body. */
const inlineBoot = (doc: T.Document) => elements(doc).find((e) => e.tagName === 'script' && has(e, 'data-manifest') && !has(e, 'src') && e.childNodes.length > 0);

/**
 * The page as a returning visitor gets it: its inline boot, if it is this release's and names `src` in
 * `data-boot-src`, replaced by `<script src>` of that file, every other attribute kept (`data-manifest`,
 * `data-plain`, a nonce); undefined for a page without one; null for a page whose inline boot is another
 * (an older release's, or one that names no file: written before, a page with a loader is left as it is).
 */
export function returningPage(page: string, src: string): string | null | undefined {
  const doc = parse(page, { sourceCodeLocationInfo: true });
  const el = inlineBoot(doc);
  const loc = el?.sourceCodeLocation;
  if (!el || !loc?.endTag) return;
  const text = (el.childNodes[0] as T.TextNode).value;
  if (el.attrs.find((a) => a.name === 'data-boot-src')?.value !== src || text.trim() !== bootScript()) return null;
  const attrs = el.attrs.filter((a) => a.name !== 'data-boot-src').map((a) => page.slice(loc.attrs![a.name].startOffset, loc.attrs![a.name].endOffset));
  const at = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return page.slice(0, loc.startTag!.startOffset) + `<script src="${at}"${attrs.map((a) => ' ' + a).join('')}></script>` + page.slice(loc.endTag.endOffset);
}

/**
 * Writes the boot's file (when it changed) and the twins of `pages` (file path under `dir`, with `/`, → final
 * HTML) anew, at `src`; returns what it wrote (on a dry run, would) and a note for pages whose boot is another.
 */
export function writeReturning(dir: string, src: string, pages: [string, string][], dry: boolean): { wrote: string[]; note?: string } {
  const f = bootFile();
  const twins: [string, string][] = [];
  let others = 0;
  for (const [path, page] of pages) {
    const twin = returningPage(page, src);
    if (twin) twins.push([path, twin]);
    else if (twin === null) others++;
  }
  const file = join(dir, f.name);
  const wrote = existsSync(file) && readFileSync(file, 'utf8') === f.body ? [] : [f.name];
  if (dry) return { wrote: [...wrote, `the returning pages in ${RETURNING_DIR}/${f.hash}/ (${RETURNING_DIR}/ anew)`] };
  rmSync(join(dir, RETURNING_DIR), { recursive: true, force: true });
  if (wrote.length) writeFileSync(file, f.body);
  for (const [path, twin] of twins) {
    const to = join(dir, RETURNING_DIR, f.hash, ...path.split('/'));
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, twin);
  }
  return {
    wrote: [...wrote, `${twins.length} returning page${twins.length === 1 ? '' : 's'} in ${RETURNING_DIR}/${f.hash}/`],
    note: others
      ? `cdn-loader: note: ${others} page${others === 1 ? '' : 's'} carr${others === 1 ? 'ies' : 'y'} an inline boot of another release, or one written without --returning (a page with a loader is left as it is), and got no returning page: rewrite the build's fresh output`
      : undefined,
  };
}
