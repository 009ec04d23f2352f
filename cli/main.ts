// The `cdn-loader` command: `manifest` writes a manifest for a folder of static files, `check` validates
// one with the loader's own rules. bin/cdn-loader.mjs runs the bundle of this file (dist/cli.mjs).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../package.json';
import type { Manifest, Mode } from '../src/types.js';
import { check, pageFor } from './check.js';
import { head, PROBE, scan } from './scan.js';
import { findRule, parseManifest } from '../src/manifest/manifest.js';
import { htmlFiles, packageFile, PROBE_GIF, RETURNING_DIR, rewriteSite } from './site.js';
import { bootFile, writeReturning } from './returning.js';
import { bootHash, bootRefused, loaderTag, pageHead, plainUrls, type HeadPlan } from './pageTags.js';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads standard input, for `check -`. */
  stdin(): string;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  stdin: () => readFileSync(0, 'utf8'),
};

export const SCHEMA_URL = `https://unpkg.com/cdn-loader@${version}/schema/cdn-manifest.schema.json`;

export const USAGE = `Usage:
  cdn-loader manifest <dir> --edge URL [--edge URL…] [options]
      Writes <dir>/cdn-manifest.json for the static files in <dir>, with the
      integrity (sha384) of every script and stylesheet.
      --edge [ID=]URL  an edge serving the same files at the same paths (repeat it)
      --origin URL     where the files also live (default: the page's own origin)
      --mode MODE      always | round-robin | off
      --exact          list every file instead of registering whole folders
      --out FILE       where to write ("-": standard output)
      --page URL       the page that uses it, for the mixed-content check
  cdn-loader check <manifest.json | -> [--page URL] [--strict]
      Validates a manifest with the loader's own rules and messages; exits
      with 1 when the loader would refuse it.
      --page URL       the page that uses it (default: the manifest's origin,
                       else https://localhost/)
      --strict         exit with 1 on a warning too (no edges, no assets)
  cdn-loader rewrite <dir> [options]
      Rewrites the pages (.html) in <dir> for the loader: the registered
      src, href, srcset and poster attributes become data-cdn-*; first in
      <head> go the page's manifest and the inline boot, the runtime async
      at the end of <body>; cdn-loader-runtime.js and cdn-probe.gif are put
      beside the pages. Unregistered URLs, other hosts and inline scripts
      stay as they are; running it twice changes nothing the second time.
      --manifest FILE  the manifest (default <dir>/cdn-manifest.json, written
                       by "cdn-loader manifest")
      --dry-run        print the diff and write nothing
      --runtime URL    where pages load the runtime from; given, nothing is
                       copied (default /cdn-loader-runtime.js, copied)
      --plain-urls     images and stylesheets of mode always keep a plain
                       URL at the first edge, fetched with the HTML (the
                       runtime watches them; docs/static-sites.md)
      --returning      returning visits without the inline boot's bytes:
                       the boot also goes beside the pages as a file, and
                       each page gets a twin in cdn-returning/ that loads
                       it by URL, for a server that picks by the cookie
                       the runtime sets (recipes/nginx-origin.conf)
      --one-tag        the one loader tag instead, manifest by URL:
                       <script src="/cdn-loader.js" data-manifest="…">
      --loader URL     with --one-tag (it implies it): where pages load the
                       loader from; given, nothing is copied (default
                       /cdn-loader.js, copied)
      --manifest-url URL  with --one-tag (it implies it): data-manifest of
                       the tag (default /cdn-manifest.json)
      --page URL       a page of the site, for the manifest check
  cdn-loader version   (or --version; through npx: npx cdn-loader --version)`;

/** Runs the CLI with `args` (without `node` and the script); resolves with the exit code. */
export async function main(args: string[], io: Io = processIo): Promise<number> {
  // `npx cdn-loader -- --version`: npx passes the "--" that kept the flag from npx itself.
  if (args[0] === '--') args = args.slice(1);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        edge: { type: 'string', multiple: true },
        origin: { type: 'string' },
        mode: { type: 'string' },
        exact: { type: 'boolean' },
        out: { type: 'string' },
        page: { type: 'string' },
        strict: { type: 'boolean' },
        manifest: { type: 'string' },
        'manifest-url': { type: 'string' },
        loader: { type: 'string' },
        runtime: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'one-tag': { type: 'boolean' },
        'plain-urls': { type: 'boolean' },
        returning: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values: v, positionals: [command, target, ...extra] } = parsed;
  if (v.version || (command === 'version' && !target)) {
    io.out(version);
    return 0;
  }
  if (v.help || !command || (command === 'help' && !target)) {
    io.out(USAGE);
    return v.help || command ? 0 : 2;
  }
  if (extra.length) return usage(io, `unexpected argument ${JSON.stringify(extra[0])}`);

  if (command === 'check') {
    if (!target) return usage(io, 'check needs a manifest file (or "-" for standard input)');
    for (const k of ['edge', 'origin', 'mode', 'exact', 'out'] as const) if (v[k] !== undefined) return usage(io, `--${k} belongs to "manifest", not "check"`);
    let text: string;
    try {
      text = target === '-' ? io.stdin() : readFileSync(target, 'utf8');
    } catch (e) {
      io.err(`cdn-loader: cannot read ${target} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return 2;
    }
    const r = check(text, target === '-' ? 'standard input' : target, v.page);
    if (!r.ok) {
      fault(io, r);
      return 1;
    }
    io.out(`${target}: valid for a page on ${r.page}: ${r.summary}`);
    for (const w of r.warnings) io.err(`cdn-loader: warning: ${w}`);
    if (v.strict && r.warnings.length) {
      io.err('  (--strict: a warning fails the check)');
      return 1;
    }
    return 0;
  }

  if (command === 'manifest') {
    if (!target) return usage(io, 'manifest needs the folder of static files');
    if (!v.edge?.length) return usage(io, 'manifest needs at least one --edge URL');
    if (v.strict !== undefined) return usage(io, '--strict belongs to "check", not "manifest"');
    const out = v.out ?? join(target, 'cdn-manifest.json');
    // The options alone first: a bad --edge is the one thing to say, before any warning about the files.
    const options = check(JSON.stringify(head({ edges: v.edge, origin: v.origin, mode: v.mode as Mode | undefined })), out, v.page);
    if (!options.ok) {
      fault(io, options);
      return 1;
    }
    let result;
    try {
      result = scan(target, { edges: v.edge, origin: v.origin, mode: v.mode as Mode | undefined, exact: v.exact, skip: [out, join(target, 'cdn-manifest.json')].filter((f) => f !== '-'), schema: SCHEMA_URL });
    } catch (e) {
      io.err(`cdn-loader: cannot read ${target} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return 2;
    }
    for (const w of result.warnings) io.err(`cdn-loader: ${w}`);
    if (!existsSync(join(target, PROBE)))
      io.err(`cdn-loader: note: ${join(target, PROBE)} is missing; every edge must answer /${PROBE} (the nginx recipe does so from memory, elsewhere copy any 1×1 GIF there)`);
    const json = JSON.stringify(result.manifest, null, 2) + '\n';
    // The loader's validator has the last word, so a manifest the browser would refuse is never written.
    const r = check(json, out, v.page);
    if (!r.ok) {
      fault(io, r);
      return 1;
    }
    const what = `${result.files} files in ${result.manifest.assets!.length} asset entries (${result.hashed} with integrity); ${r.summary}`;
    if (out === '-') {
      io.out(json.trimEnd());
      io.err(`cdn-loader: ${what}`);
    } else {
      try {
        writeFileSync(out, json);
      } catch (e) {
        io.err(`cdn-loader: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        return 2;
      }
      io.out(`wrote ${relative(process.cwd(), out) || out}: ${what}`);
    }
    return 0;
  }

  if (command === 'rewrite') {
    if (!target) return usage(io, 'rewrite needs the folder of the built site');
    for (const k of ['edge', 'origin', 'mode', 'exact', 'out'] as const) if (v[k] !== undefined) return usage(io, `--${k} belongs to "manifest", not "rewrite"`);
    return rewrite(io, target, v);
  }

  return usage(io, `unknown command ${JSON.stringify(command)}`);
}

/** `cdn-loader rewrite <dir>`: the HTML rewrite of the Vite plugin, for any static site's output. */
function rewrite(
  io: Io,
  dir: string,
  v: { manifest?: string; 'manifest-url'?: string; loader?: string; runtime?: string; 'dry-run'?: boolean; 'one-tag'?: boolean; 'plain-urls'?: boolean; returning?: boolean; page?: string },
): number {
  // One loader per page: the inline boot with the runtime, or the one tag; never both.
  const one = (['one-tag', 'loader', 'manifest-url'] as const).find((k) => v[k] !== undefined);
  // Every page gets the same tags: a relative URL would be looked for in each page's own folder.
  const rel = (['runtime', 'loader', 'manifest-url'] as const).find((k) => v[k] !== undefined && !/^(\/|https?:\/\/)/i.test(v[k]!));
  if (rel) return usage(io, `--${rel} "${v[rel]}" is relative: a page in a folder would look for it in that folder; give a path from the site's root (/…) or an http(s) URL`);
  if (v.runtime !== undefined && one) return usage(io, `--runtime (the inline boot's runtime) and --${one} (the one loader tag) ask for two different pages: give one or the other`);
  if (v['plain-urls'] && one)
    return usage(io, `--plain-urls and --${one}: the one loader tag does not watch plain URLs for hangs (only the runtime beside the inline boot does); leave out one of them`);
  if (v.returning && one) return usage(io, `--returning and --${one}: returning pages load the inline boot from a file, and the one loader tag has no boot; leave out one of them`);
  if (v.runtime && /(^|\/)cdn-loader(\.min)?\.js$/.test(v.runtime.replace(/[?#].*/, '')))
    return usage(io, `--runtime ${v.runtime}: cdn-loader.js is the one-tag loader, and beside the inline boot a page would start two loaders; give the URL of cdn-loader-runtime.js, or --loader for the one tag`);
  const file = v.manifest ?? join(dir, 'cdn-manifest.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    io.err(`cdn-loader: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); write it first: cdn-loader manifest ${dir} --edge URL`);
    return 2;
  }
  const r = check(text, file, v.page);
  if (!r.ok) {
    fault(io, r);
    return 1;
  }
  const json = JSON.parse(text) as Manifest;
  const cfg = parseManifest(json, pageFor(json, v.page));
  const dry = !!v['dry-run'];
  // As the Vite plugin's `manifest: 'link'`, a manifest URL means the one tag; so does a loader URL.
  const boot = !one;
  const loader = boot ? 'cdn-loader-runtime.js' : 'cdn-loader.js';
  const given = boot ? v.runtime : v.loader;
  const src = given ?? '/' + loader;
  const blocked: string[] = [];
  const plan: HeadPlan = {
    manifest: json,
    runtime: src,
    boot,
    one: (_, nonce) => loaderTag(src, v['manifest-url'] ?? '/cdn-manifest.json', nonce),
    plain: v['plain-urls'] ? cfg : undefined,
    bootSrc: v.returning ? '/' + bootFile().name : undefined,
  };
  let site;
  try {
    site = rewriteSite(dir, {
      registered: (p) => !!findRule(cfg, p),
      origins: [cfg.origin.url],
      tag: (page) => {
        const why = boot && bootRefused(page, decodeURIComponent(page.page.slice(1)), v['plain-urls'] ? '--plain-urls' : undefined);
        if (why) blocked.push(`cdn-loader: note: ${why}`);
        return pageHead(page, plan);
      },
      plain: (page) => plainUrls(page, plan),
      dry,
    });
  } catch (e) {
    io.err(`cdn-loader: cannot rewrite ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return 2;
  }
  for (const c of site.changed) if (dry) io.out(c.diff);
  for (const m of site.refused) io.err(m);
  for (const m of blocked) io.err(m);
  const wrote: string[] = [];
  // The runtime (or loader) and the probe beside the pages (unless the pages load it from elsewhere).
  const extras: [string, () => Buffer][] = [[PROBE, () => PROBE_GIF]];
  if (!given) extras.push([loader, () => readFileSync(packageFile(loader))]);
  for (const [name, body] of extras) {
    const to = join(dir, name);
    const b = body();
    if (existsSync(to) && readFileSync(to).equals(b)) continue;
    if (!dry) writeFileSync(to, b);
    wrote.push(name);
  }
  // The boot's file and the returning pages, written anew from every page as it is now (cli/returning.ts); without
  // --returning, an earlier run's returning pages go (an origin would go on serving their old content).
  let note: string | undefined;
  if (v.returning) {
    const r = writeReturning(dir, plan.bootSrc!, dry ? [] : htmlFiles(dir).map((f) => [relative(dir, f).split(sep).join('/'), readFileSync(f, 'utf8')]), dry);
    wrote.push(...r.wrote);
    note = r.note;
  } else if (existsSync(join(dir, RETURNING_DIR))) {
    if (!dry) rmSync(join(dir, RETURNING_DIR), { recursive: true, force: true });
    note = `cdn-loader: note: ${dry ? 'would remove' : 'removed'} ${RETURNING_DIR}/, the returning pages of an earlier --returning (an origin would go on serving their old content)`;
  }
  const n = site.changed.length;
  io[dry ? 'err' : 'out'](
    `${dry ? 'would rewrite' : 'rewrote'} ${n} page${n === 1 ? '' : 's'} (${site.changed.reduce((s, c) => s + c.renamed, 0)} attributes, ${site.changed.filter((c) => c.tagged).length} loader tags)` +
      `; ${site.unchanged} unchanged; ${site.refused.length} refused` +
      (wrote.length ? `; ${dry ? 'would write' : 'wrote'} ${wrote.join(', ')}` : ''),
  );
  if (note) io.err(note);
  // A policy sent as a header is out of sight here: say once what it needs.
  if (boot && site.changed.some((c) => c.tagged))
    io.err(`cdn-loader: note: under a Content-Security-Policy that blocks inline scripts, the inline boot needs ${bootHash()} in script-src (or a nonce on the page's scripts, which the boot's tag takes)`);
  return site.refused.length ? 1 : 0;
}

/** Prints why a manifest is refused; for mixed content, also which page it was checked for. */
function fault(io: Io, r: { message: string; page?: string }): void {
  io.err(r.message);
  if (r.page && r.message.includes('mixed content')) io.err(`  (checked for a page on ${r.page}; --page URL sets the page that uses it)`);
}

function usage(io: Io, problem: string): number {
  io.err(`cdn-loader: ${problem}\n\n${USAGE}`);
  return 2;
}
