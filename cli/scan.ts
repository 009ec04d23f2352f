// Builds a manifest for a folder of static files: which paths to register, and the SRI hash of every
// script and stylesheet. Pure Node, no DOM: the browser's own validator checks the result.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AssetInput, Manifest, Mode } from '../src/types.js';
import { ManifestError, parseManifest } from '../src/manifest/manifest.js';
import { RETURNING_DIR } from './site.js';

/** What `cdn-loader manifest` was asked for. */
export interface ScanOptions {
  /** Edge URLs, each optionally `id=URL`. */
  edges: string[];
  origin?: string;
  mode?: Mode;
  /** List every file instead of registering whole folders by prefix. */
  exact?: boolean;
  /** Files to leave out, as absolute paths (the manifest being written). */
  skip?: string[];
  /** Written into the manifest for editors. */
  schema?: string;
}

export interface ScanResult {
  manifest: Manifest;
  /** Files left out, with why. */
  warnings: string[];
  /** Registered files, and how many of them carry `integrity`. */
  files: number;
  hashed: number;
}

/** The default `probe.path`, without its slash. */
export const PROBE = 'cdn-probe.gif';
/** The runtime and the loader as `cdn-loader rewrite` puts them beside the pages: they run before any manifest, from the origin. */
export const LOADERS = ['cdn-loader-runtime.js', 'cdn-loader.js'];
/** The boot's file as `cdn-loader rewrite --returning` puts it beside the pages (cli/returning.ts). */
export const BOOT_FILE = /^cdn-loader-boot\.[0-9a-f]{8}\.js$/;
/** Pages are not assets: they are what includes the loader. */
const PAGE = /\.html?$/i;
/** Files whose element can check `integrity` (`<script>`, `<link rel=stylesheet>`). */
const HASHED = /\.(m?js|css)$/i;

/** The SRI value of a file, as browsers check it. */
export const sri = (body: Buffer): string => 'sha384-' + createHash('sha384').update(body).digest('base64');

/** The path a browser requests for a file name, as `new URL()` normalises it. */
function urlPath(segments: string[]): string {
  const raw = '/' + segments.map((s) => s.replace(/%/g, '%25').replace(/\?/g, '%3F').replace(/#/g, '%23')).join('/');
  return new URL(raw, 'http://x').pathname;
}

interface Node {
  path: string;
  file?: string;
  children?: Node[];
  /** Whether every file under a folder is an asset, so its prefix registers nothing it should not. */
  clean: boolean;
}

function walk(dir: string, segments: string[], skip: Set<string>, warnings: string[], seen = new Set<string>()): Node {
  const children: Node[] = [];
  let clean = true;
  // A symbolic link back up the tree would otherwise be walked forever.
  seen.add(realpathSync(dir));
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    // Dotfiles are nobody's business; the probe file is pinged, not loaded as an asset; the loader loads itself;
    // the boot's file and the returning pages are the origin's (`rewrite --returning`).
    if (name.startsWith('.') || (!segments.length && (name === PROBE || LOADERS.includes(name) || name === RETURNING_DIR || BOOT_FILE.test(name)))) continue;
    if (skip.has(full)) {
      clean = false;
      continue;
    }
    let st;
    try {
      st = statSync(full);
    } catch {
      warnings.push(`skipped ${full}: cannot be read`);
      clean = false;
      continue;
    }
    const segs = [...segments, name];
    if (st.isDirectory()) {
      if (seen.has(realpathSync(full))) {
        warnings.push(`skipped ${full}: a link to a folder already listed`);
        clean = false;
        continue;
      }
      const sub = walk(full, segs, skip, warnings, seen);
      clean &&= sub.clean;
      if (sub.children!.length) children.push(sub);
    } else if (st.isFile() && !PAGE.test(name)) children.push({ path: urlPath(segs), file: full, clean: true });
    else clean = false;
  }
  return { path: urlPath(segments) + (segments.length ? '/' : ''), children, clean };
}

/** Characters the loader's validator refuses in a path (src/manifest/manifest.ts); spaces are %20-encoded by then. */
const UNSAFE = /[\s\\<>"'`]/;

/** Whether the browser's validator takes `path` as an asset path; the reason when not. */
function refused(path: string): string | undefined {
  try {
    parseManifest({ assets: [path] }, 'https://localhost/');
    return path.includes('*') ? 'contains "*", which the manifest reads as a glob' : undefined;
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    // The validator's message is about the path's shape; the file name's fault is one character.
    const bad = UNSAFE.exec(path)?.[0];
    return bad ? `contains ${JSON.stringify(bad)}, which a manifest path cannot hold` : e.message.replace(/^cdn-loader: manifest\.assets\[0\]: /, '');
  }
}

/** `id=URL` or `URL`. */
function edge(spec: string): string | { id: string; url: string } {
  const m = /^([\w.:-]{1,64})=(https?:.*)$/i.exec(spec);
  return m ? { id: m[1], url: m[2] } : spec;
}

/**
 * Lists a folder of static files as manifest `assets`: each sub-folder that holds only assets becomes one
 * prefix (unless `exact`), other files are listed one by one, and every script and stylesheet also gets an
 * exact entry with its `integrity`. HTML pages, dotfiles and the probe file are left out.
 */
export function scan(dir: string, o: ScanOptions): ScanResult {
  const warnings: string[] = [];
  const root = walk(resolve(dir), [], new Set((o.skip ?? []).map((f) => resolve(f))), warnings);
  const prefixes: string[] = [];
  const plain: string[] = [];
  const hashed: AssetInput[] = [];
  let files = 0;
  const visit = (n: Node, covered: boolean) => {
    if (n.children) {
      const prefix = !covered && !o.exact && n.clean && n.path !== '/';
      if (prefix) {
        const why = refused(n.path);
        if (why) warnings.push(`listed the files of ${n.path} one by one: the folder's path ${why}`);
        else prefixes.push(n.path);
        for (const c of n.children) visit(c, covered || !why);
        return;
      }
      for (const c of n.children) visit(c, covered);
      return;
    }
    const hash = HASHED.test(n.path);
    // A file under a registered folder needs its own entry only to carry its integrity.
    const why = hash || !covered ? refused(n.path) : undefined;
    if (why && !covered) {
      warnings.push(`skipped ${n.file}: its path ${why}`);
      return;
    }
    files++;
    if (why) warnings.push(`${n.file} is registered by its folder, but without integrity: its path ${why}`);
    else if (hash) hashed.push({ path: n.path, integrity: sri(readFileSync(n.file!)) });
    else if (!covered) plain.push(n.path);
  };
  visit(root, false);
  const manifest = head(o);
  manifest.assets = [...prefixes, ...plain, ...hashed];
  return { manifest, warnings, files, hashed: hashed.length };
}

/** The manifest's fields that come from the options alone: `$schema`, `mode`, `origin`, `edges`. */
export function head(o: ScanOptions): Manifest {
  const manifest: Manifest = {};
  if (o.schema) manifest.$schema = o.schema;
  if (o.mode) manifest.mode = o.mode;
  if (o.origin) manifest.origin = o.origin;
  manifest.edges = o.edges.map(edge);
  return manifest;
}
