// `cdn-loader rewrite --returning`: returning visits without the inline boot's bytes (docs/first-visit.md,
// "Returning visits"). The boot goes beside the pages as a file named by its content, every inline boot
// names it (`data-boot-src`, so the runtime caches it and sets the cookie `cdn_boot`), and every page gets a
// twin under cdn-returning/<hash>/ with `<script src>` for the boot instead: what the origin serves to a
// browser whose cookie names this boot (recipes/nginx-origin.conf).
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import { bootScript } from './pageTags.js';
import { RETURNING_DIR } from './site.js';

/** The boot's file: its name carries its content's hash, so it can be cached for a year and a new boot is a new URL. */
export function bootFile(): { hash: string; name: string; body: string } {
  const body = bootScript();
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 8);
  return { hash, name: `cdn-loader-boot.${hash}.js`, body: body + '\n' };
}

const elements = (n: T.ParentNode): T.Element[] =>
  n.childNodes.flatMap((c) => ('tagName' in c ? [c, ...elements(c.tagName === 'template' ? (c as T.Template).content : c)] : []));

/**
 * The page as a returning visitor gets it: its inline boot (the `<script>` with `data-boot-src` and a body)
 * replaced by `<script src>` of that file, every other attribute kept (`data-manifest`, `data-plain`, a
 * nonce); undefined for a page without one.
 */
export function returningPage(html: string): string | undefined {
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const el = elements(doc).find((e) => e.tagName === 'script' && e.attrs.some((a) => a.name === 'data-boot-src') && !e.attrs.some((a) => a.name === 'src'));
  const loc = el?.sourceCodeLocation;
  if (!el || !loc?.endTag) return;
  const start = loc.startTag!;
  const attrs = el.attrs.filter((a) => a.name !== 'data-boot-src').map((a) => html.slice(loc.attrs![a.name].startOffset, loc.attrs![a.name].endOffset));
  const src = el.attrs.find((a) => a.name === 'data-boot-src')!.value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return html.slice(0, start.startOffset) + `<script src="${src}"${attrs.map((a) => ' ' + a).join('')}></script>` + html.slice(loc.endTag.endOffset);
}

/** Writes the boot's file and the twins of `pages` (site path → final HTML) anew; returns what it wrote (on a dry run, would). */
export function writeReturning(dir: string, pages: [string, string][], dry: boolean): string[] {
  const f = bootFile();
  const twins = pages.flatMap(([path, html]) => {
    const twin = returningPage(html);
    return twin ? [[path, twin] as const] : [];
  });
  if (!dry) {
    rmSync(join(dir, RETURNING_DIR), { recursive: true, force: true });
    writeFileSync(join(dir, f.name), f.body);
    for (const [path, twin] of twins) {
      const to = join(dir, RETURNING_DIR, f.hash, ...path.split('/').map(decodeURIComponent));
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, twin);
    }
  }
  return [f.name, dry ? `the returning pages in ${RETURNING_DIR}/${f.hash}/` : `${twins.length} returning page${twins.length === 1 ? '' : 's'} in ${RETURNING_DIR}/${f.hash}/`];
}
