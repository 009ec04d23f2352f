// The HTML rewrite shared by `cdn-loader rewrite` and the Vite plugin: registered `src`/`href`/`srcset`/
// `poster` attributes become `data-cdn-*`, so the browser fetches nothing before the loader has chosen a
// source. It parses with parse5 (the HTML standard's own algorithm, as browsers run it) and edits only the
// attribute names it renames and the one place a tag goes in, so every other byte stays as it was.
import { parse, type DefaultTreeAdapterTypes as T, type ParserError, type Token } from 'parse5';
import { mapSrcset } from '../src/lib/urls.js';

/** Is this path registered by the manifest? (`findRule` of the loader's own validator, or the plugin's list.) */
export type Registered = (path: string) => boolean;

export interface RewriteOptions {
  /** The page's own path in the site (`/blog/index.html`): relative URLs resolve against it. */
  page: string;
  /** Which paths the manifest registers. */
  registered: Registered;
  /** Absolute origins (`https://www.example.org`) whose URLs are the site's own, besides relative ones. */
  origins?: string[];
  /**
   * Markup put in when the page gets `data-cdn-*` attributes and has no loader tag yet: first in `<head>`,
   * and `end` (the runtime) at the end of `<body>`.
   */
  tag?: string | ((page: PageFacts) => string | Tags);
  /** Where a page's registered images and stylesheets keep a plain URL at an edge (`--plain-urls`), if it may. */
  plain?: (page: PageFacts) => PlainUrl | undefined;
}

/** The markup of a page's loader: `head` first in `<head>`, `end` just before `</body>`. */
export interface Tags {
  head: string;
  end?: string;
}

/** The plain URL of a registered path at an edge (with the integrity its element gets), or undefined: `data-cdn-*`. */
export type PlainUrl = (path: string) => { url: string; integrity?: string } | undefined;

/** What the markup put in may depend on, read from the page (cli/pageTags.ts). */
export interface PageFacts {
  /** The page's path, as given. */
  page: string;
  /** Registered paths of the scripts and stylesheets it loads through the loader. */
  loaded: string[];
  /** The nonce its scripts carry (or Vite's `<meta property="csp-nonce">`), as written: a server fills it in per response. */
  nonce?: string;
  /** Its `<meta http-equiv="Content-Security-Policy">` policies. */
  policies: string[];
  /**
   * Set once the page is rewritten: no image, `<source>` or stylesheet keeps `data-cdn-*` (its registered ones
   * are plain URLs, `--plain-urls`), so the inline boot has nothing to move on a returning visit with every edge
   * up (pageTags.ts marks its tag `data-plain`).
   */
  plain?: boolean;
}

/** One change: `insert` goes in at `offset` of the original text, in place of its next `remove` characters. */
export interface Edit {
  offset: number;
  insert: string;
  remove?: number;
}

export interface RewriteResult {
  /** The rewritten page (the same string when nothing changed). */
  html: string;
  edits: Edit[];
  /** Registered paths of the scripts and stylesheets the page now loads through the loader. */
  loaded: string[];
  /** Registered paths of every attribute renamed or made plain, in document order. */
  paths: string[];
  /** Attributes renamed or made plain. */
  attributes: number;
  /** Whether `tag` was put in. */
  tagged: boolean;
}

/** Thrown for a page that cannot be rewritten without risk; the message says where and why. */
export class UnsafeHtml extends Error {}

/**
 * Tokenizer errors after which renaming an attribute could change what the browser loads (a duplicate
 * `src` would take over), or that show the file is truncated or still holds template code.
 */
const UNSAFE: Record<string, string> = {
  'duplicate-attribute': 'an element has the same attribute twice (renaming the first would let the second load)',
  'eof-in-tag': 'the file ends inside a tag (is it truncated?)',
  'eof-in-comment': 'a comment is never closed, so the rest of the file is a comment',
  'eof-in-script-html-comment-like-text': 'a script never ends',
  'eof-in-element-that-can-contain-only-text': 'a <script>, <style>, <title> or <textarea> is never closed',
  'eof-in-cdata': 'a CDATA section is never closed',
  'missing-whitespace-between-attributes': 'two attributes run together',
  'unexpected-character-in-attribute-name': 'an attribute name holds a quote or "<" (a broken attribute)',
  'unexpected-equals-sign-before-attribute-name': 'an attribute starts with "="',
  'unexpected-character-in-unquoted-attribute-value': 'an unquoted attribute value holds a quote, "<", "=" or "`"',
  'unexpected-null-character': 'the file holds NUL characters (is it HTML?)',
  'unexpected-question-mark-instead-of-tag-name': 'it holds "<?" (template code such as PHP that was never run?)',
};

const HTML_NS = 'http://www.w3.org/1999/xhtml';
/** Script types the loader runs: classic JavaScript and modules. */
const RUNNABLE = /^\s*(module|(text|application)\/(x-)?(java|ecma)script)?\s*$/i;

const attr = (el: T.Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const children = (n: T.ParentNode): T.Element[] => n.childNodes.filter((c): c is T.Element => 'tagName' in c);

/**
 * Rewrites one page. Registered resources of the elements the loader handles (`<img>` with its
 * `<picture>` sources, stylesheet `<link>`s, `<script src>`, `<video>`/`<audio>` with their sources and
 * poster) get `data-cdn-*` attributes; `<link rel=modulepreload>` and `<link rel=preload>` of registered
 * files too, which leaves them inert: the file then comes once, from the source the loader chose, instead
 * of twice. Unregistered URLs, other hosts, inline scripts, `<noscript>` and `<template>` content are left
 * alone; a page already rewritten comes back unchanged. Throws UnsafeHtml for a page it cannot read safely.
 */
export function rewriteHtml(html: string, o: RewriteOptions): RewriteResult {
  let unsafe: ParserError | undefined;
  const doc = parse(html, {
    sourceCodeLocationInfo: true,
    onParseError: (e) => {
      if (!unsafe && UNSAFE[e.code]) unsafe = e;
    },
  });
  if (unsafe) throw new UnsafeHtml(`${unsafe.startLine}:${unsafe.startCol}: ${UNSAFE[unsafe.code]}`);

  const site = new URL(o.page, 'http://site.invalid');
  const own = new Set([site.origin, ...(o.origins ?? []).map((u) => new URL(u).origin)]);
  let base = site;
  const edits: Edit[] = [];
  const loaded: string[] = [];
  const paths: string[] = [];
  let loader = false;
  /** Where `data-plain` is on the boot's tag of a page rewritten before (any `<script data-manifest>`: the runtime's may come first). */
  let mark: Token.Location | undefined;
  let marked = false;
  let nonce: string | undefined;
  const policies: string[] = [];
  /** Images and stylesheets that may keep a plain URL (`o.plain`): decided once the page is read. */
  const pending: [T.Element, string][][] = [];
  /** How many of them came before the last script that blocks the parser (a classic script, not async or deferred). */
  let beforeBlocking = 0;
  /** Whether an image, `<source>` or stylesheet has or gets `data-cdn-*`: one the inline boot starts as the parser adds it. */
  let booted = false;
  const boots = (el: T.Element) => ['img', 'source'].includes(el.tagName) || (el.tagName === 'link' && /(^|\s)stylesheet(\s|$)/i.test(attr(el, 'rel') ?? ''));

  /** The registered path of a URL as written, or undefined. */
  const path = (written: string | undefined): string | undefined => {
    if (!written?.trim() || /^(data|blob|javascript|about):/i.test(written.trim())) return undefined;
    let u: URL;
    try {
      u = new URL(written.trim(), base);
    } catch {
      return undefined;
    }
    if (!/^https?:$/.test(u.protocol) || !own.has(u.origin)) return undefined;
    return o.registered(u.pathname) ? u.pathname : undefined;
  };
  const urls = (el: T.Element, name: string): string[] => {
    const v = attr(el, name);
    // `rel` moves with a preload's `href` but names no file.
    if (v === undefined || name === 'rel') return [];
    if (name !== 'srcset') return [v];
    const out: string[] = [];
    mapSrcset(v, (u) => (out.push(u), u));
    return out;
  };
  /** Renames `name` to `data-cdn-name` on each element that has it, when any of their URLs is registered. */
  const group = (parts: [T.Element, string][], script?: boolean, plain?: boolean): void => {
    const present = parts.filter(([el, n]) => attr(el, n) !== undefined);
    // An element that already has both forms was edited by hand: leave it to its author.
    if (present.some(([el, n]) => attr(el, 'data-cdn-' + n) !== undefined)) return;
    const found = present.flatMap(([el, n]) => urls(el, n).map(path)).filter((p): p is string => !!p);
    if (!found.length) return;
    if (plain) pending.push(present);
    else rename(present);
    paths.push(...found);
    if (script) loaded.push(found[0]);
  };
  const rename = (present: [T.Element, string][]) => {
    for (const [el, n] of present) {
      booted ||= boots(el);
      const loc = el.sourceCodeLocation?.attrs?.[n];
      if (loc) edits.push({ offset: loc.startOffset, insert: 'data-cdn-' });
    }
  };
  /**
   * Writes each registered URL of the elements at the edge `at` gives; a stylesheet gets its integrity (and
   * `crossorigin`, which SRI needs across origins). False, with nothing written, when a URL has no plain form.
   */
  const toPlain = (present: [T.Element, string][], at: PlainUrl): boolean => {
    const out: Edit[] = [];
    for (const [el, n] of present) {
      let ok = true;
      let integrity: string | undefined;
      const map = (written: string) => {
        const p = path(written);
        const to = p && at(p);
        if (!to) return (ok &&= !p), written;
        integrity = to.integrity;
        const u = new URL(written.trim(), base);
        return to.url + u.search + u.hash;
      };
      const v = n === 'srcset' ? mapSrcset(attr(el, n)!, map) : map(attr(el, n)!);
      const loc = el.sourceCodeLocation?.attrs?.[n];
      if (!ok || !loc) return false;
      const sri = integrity && el.tagName === 'link' && attr(el, 'integrity') === undefined;
      const insert =
        html.slice(loc.startOffset, loc.startOffset + n.length) +
        `="${escape(v)}"` +
        (sri ? ` integrity="${escape(integrity!)}"` + (attr(el, 'crossorigin') === undefined ? ' crossorigin="anonymous"' : '') : '');
      out.push({ offset: loc.startOffset, insert, remove: loc.endOffset - loc.startOffset });
    }
    edits.push(...out);
    return true;
  };

  const visit = (el: T.Element): void => {
    if (el.namespaceURI !== HTML_NS) return;
    const tag = el.tagName;
    if (el.attrs.some((a) => a.name.startsWith('data-cdn-'))) {
      marked = true;
      booted ||= boots(el);
    }
    if ((tag === 'script' || (tag === 'meta' && attr(el, 'property') === 'csp-nonce')) && attr(el, 'nonce')) nonce ??= attr(el, 'nonce');
    if (tag === 'meta' && attr(el, 'http-equiv')?.toLowerCase() === 'content-security-policy') policies.push(attr(el, 'content') ?? '');
    if (tag === 'base' && base === site && attr(el, 'href') !== undefined) {
      try {
        base = new URL(attr(el, 'href')!, site);
      } catch {
        // An unusable <base> is ignored by browsers too.
      }
    } else if (tag === 'script') {
      const src = attr(el, 'src');
      if (attr(el, 'data-manifest') !== undefined) {
        loader = true;
        mark ??= el.sourceCodeLocation?.attrs?.['data-plain'];
      } else if (RUNNABLE.test(attr(el, 'type') ?? '')) group([[el, 'src']], true);
      // It waits for every stylesheet above it (data-cdn-src ones are empty: they wait for nothing).
      const inline = el.childNodes.some((c) => 'value' in c && c.value.trim());
      const type = attr(el, 'type') ?? '';
      if (RUNNABLE.test(type) && !/module/i.test(type) && (src === undefined ? inline : !path(src) && !el.attrs.some((a) => a.name === 'async' || a.name === 'defer')))
        beforeBlocking = pending.length;
    } else if (tag === 'link') {
      const rel = (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/);
      if (rel.includes('stylesheet')) group([[el, 'href']], true, true);
      // A preload that applies itself (`onload="this.rel='stylesheet'"`) would never apply once inert.
      // A preload of a file the loader serves from an edge would fetch it a second time, from the origin: it
      // goes inert, `rel` included (Chromium warns about a modulepreload without href).
      else if (rel.includes('modulepreload') || (rel.includes('preload') && attr(el, 'onload') === undefined)) group([[el, 'href'], [el, 'rel']]);
    } else if (tag === 'img') {
      const pic = el.parentNode && 'tagName' in el.parentNode && el.parentNode.tagName === 'picture' ? el.parentNode : undefined;
      const sources = pic ? children(pic).filter((c) => c.tagName === 'source') : [];
      // A lazy image is not fetched with the HTML anyway: it keeps data-cdn-* (the loader starts it when it is near).
      group([...sources.map((s): [T.Element, string] => [s, 'srcset']), [el, 'srcset'], [el, 'src']], false, attr(el, 'loading')?.toLowerCase() !== 'lazy');
    } else if (tag === 'video' || tag === 'audio') {
      group([[el, 'poster']]);
      group([[el, 'src'], ...children(el).filter((c) => c.tagName === 'source').map((s): [T.Element, string] => [s, 'src'])]);
    }
    // <template> content is a separate fragment (not in childNodes) and <noscript> is text: both stay.
    for (const c of children(el)) visit(c);
  };
  for (const c of children(doc)) visit(c);

  const facts: PageFacts = { page: o.page, loaded, nonce, policies };
  const plain = o.plain?.(facts);
  // A plain stylesheet above a script that blocks the parser holds the parser until it loads: a runtime at the
  // end of <body> would never come to move it off a hanging edge, so the runtime goes in <head> there.
  let early = false;
  pending.forEach((present, i) => {
    if (plain && toPlain(present, plain)) early ||= i < beforeBlocking && present[0][0].tagName === 'link';
    else rename(present);
  });
  facts.plain = !!plain && !booted;
  // A page rewritten before that now has a data-cdn-* image or stylesheet: its boot must watch the parser again.
  if (mark && booted) {
    const space = /\s/.test(html[mark.startOffset - 1]) ? 1 : 0;
    edits.push({ offset: mark.startOffset - space, insert: '', remove: mark.endOffset - mark.startOffset + space });
  }
  const attributes = edits.length;
  let tagged = false;
  if (o.tag && !loader && (edits.length || marked)) {
    const t = typeof o.tag == 'string' ? o.tag : o.tag(facts);
    const { head, end } = typeof t == 'string' ? { head: t } : t;
    edits.push({ offset: tagOffset(doc), insert: early ? head + (end ?? '') : head });
    if (end && !early) edits.push({ offset: endOffset(doc, html), insert: end });
    tagged = true;
  }
  edits.sort((a, b) => a.offset - b.offset);
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += html.slice(at, e.offset) + e.insert;
    at = e.offset + (e.remove ?? 0);
  }
  return { html: edits.length ? out + html.slice(at) : html, edits, loaded, paths, attributes, tagged };
}

/**
 * Where the runtime's tag goes: just before `</body>`, else at the end of the document (before its
 * trailing white space), which an HTML parser puts in `<body>` too.
 */
function endOffset(doc: T.Document, text: string): number {
  const html = children(doc).find((c) => c.tagName === 'html');
  const body = html && children(html).find((c) => c.tagName === 'body');
  return body?.sourceCodeLocation?.endTag?.startOffset ?? text.trimEnd().length;
}

/**
 * Where the loader tag goes: first in `<head>`, after only what must precede every resource (`<meta
 * charset>`, `<meta http-equiv>`, `<base>`), so nothing in the page is requested before the loader runs.
 */
function tagOffset(doc: T.Document): number {
  const html = children(doc).find((c) => c.tagName === 'html');
  const head = html && children(html).find((c) => c.tagName === 'head');
  let at = head?.sourceCodeLocation?.startTag?.endOffset;
  for (const c of head ? children(head) : []) {
    const loc = c.sourceCodeLocation;
    if (!loc) continue;
    const early = c.tagName === 'base' || (c.tagName === 'meta' && (attr(c, 'charset') !== undefined || attr(c, 'http-equiv') !== undefined));
    if (!early) return at ?? loc.startOffset;
    at = loc.endOffset;
  }
  if (at !== undefined) return at;
  // No <head> tag in the source (it is optional): after <html>, else after the doctype, else at the start.
  const first = html?.sourceCodeLocation?.startTag?.endOffset;
  if (first !== undefined) return first;
  const doctype = doc.childNodes.find((c) => c.nodeName === '#documentType');
  return doctype?.sourceCodeLocation?.endOffset ?? 0;
}

/**
 * A unified diff (no context lines) of a rewrite: one hunk per run of lines that the edits touch. An
 * insert may hold lines of its own (the inline boot does), so the new side is counted apart.
 */
export function diff(name: string, before: string, edits: Edit[]): string {
  if (!edits.length) return '';
  const a = before.split('\n');
  const starts = [0];
  for (let i = 0; i < before.length; i++) if (before[i] === '\n') starts.push(i + 1);
  const lineOf = (offset: number) => {
    let l = 0;
    while (l + 1 < starts.length && starts[l + 1] <= offset) l++;
    return l;
  };
  const byLine = new Map<number, Edit[]>();
  // An edit touches the lines from its offset to the end of what it removes (a srcset may span lines).
  const touched = new Set<number>();
  for (const e of edits) {
    const l = lineOf(e.offset);
    byLine.set(l, [...(byLine.get(l) ?? []), e]);
    for (let k = l; k <= lineOf(e.offset + (e.remove ?? 0)); k++) touched.add(k);
  }
  const lines = [...touched].sort((x, y) => x - y);
  const out = [`--- a/${name}`, `+++ b/${name}`];
  let shift = 0;
  for (let k = 0; k < lines.length; ) {
    const i = lines[k];
    let j = i;
    while (touched.has(j + 1)) j++;
    k += j - i + 1;
    let text = '';
    let at = starts[i];
    for (let l = i; l <= j; l++)
      for (const e of (byLine.get(l) ?? []).sort((x, y) => x.offset - y.offset)) {
        text += before.slice(at, e.offset) + e.insert;
        at = e.offset + (e.remove ?? 0);
      }
    const old = a.slice(i, j + 1);
    const now = (text + before.slice(at, starts[j] + old[old.length - 1].length)).split('\n');
    out.push(`@@ -${i + 1},${old.length} +${i + 1 + shift},${now.length} @@`, ...old.map((l) => '-' + l), ...now.map((l) => '+' + l));
    shift += now.length - old.length;
  }
  return out.join('\n');
}
