import {
  ManifestError,
  PROBE,
  PROBE_GIF,
  RETURNING_DIR,
  bootFile,
  bootHash,
  bootRefused,
  findRule,
  head,
  htmlFiles,
  loaderTag,
  packageFile,
  pageHead,
  parseManifest,
  plainUrls,
  rewriteSite,
  scan,
  writeReturning
} from "./chunks/chunk-EXB3WNHU.mjs";

// cli/main.ts
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";

// package.json
var version = "0.1.0";

// cli/jsonError.ts
function jsonError(text) {
  let i = 0;
  const found = () => i >= text.length ? "the end of the file" : JSON.stringify(text[i]);
  const fail = (problem) => {
    throw new Where(i, problem);
  };
  const space = () => {
    while (i < text.length && " 	\n\r".includes(text[i])) i++;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const string = () => {
    i++;
    for (; ; ) {
      if (i >= text.length) fail("a string that never ends");
      const c = text[i];
      if (c === '"') return void i++;
      if (c === "\n" || c === "\r") fail("a line break inside a string");
      if (c < " ") fail("a control character inside a string");
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (e !== void 0 && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`a bad escape ${JSON.stringify("\\" + (e ?? ""))} inside a string`);
      } else i++;
    }
  };
  const list = (close, item) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (; ; ) {
      item();
      space();
      if (text[i] === ",") {
        i++;
        space();
        continue;
      }
      if (text[i] === close) return void i++;
      fail(`expected "," or "${close}", found ${found()}`);
    }
  };
  const value = () => {
    space();
    const c = text[i];
    if (c === "{")
      return list("}", () => {
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
        string();
        space();
        if (text[i] !== ":") fail(`expected ":", found ${found()}`);
        i++;
        value();
      });
    if (c === "[") return list("]", value);
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    for (const word of ["true", "false", "null"]) if (text.startsWith(word, i)) return void (i += word.length);
    fail(`expected a value, found ${found()}`);
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${found()} after the manifest`);
    return void 0;
  } catch (e) {
    if (!(e instanceof Where)) throw e;
    const before = text.slice(0, e.at).split(/\r\n|\r|\n/);
    return { line: before.length, column: before[before.length - 1].length + 1, problem: e.problem };
  }
}
var Where = class {
  constructor(at, problem) {
    this.at = at;
    this.problem = problem;
  }
};

// cli/check.ts
var DEFAULT_PAGE = "https://localhost/";
function pageFor(manifest, page) {
  if (page) return page;
  const o = manifest && typeof manifest === "object" ? manifest.origin : void 0;
  const url = o && typeof o === "object" ? o.url : o;
  if (typeof url === "string" && /^https?:\/\//i.test(url))
    try {
      return new URL("/", url).href;
    } catch {
    }
  return DEFAULT_PAGE;
}
function check(text, name, page) {
  let json;
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  try {
    json = JSON.parse(text);
  } catch (e) {
    const at2 = jsonError(text);
    return { ok: false, message: at2 ? `cdn-loader: ${name}:${at2.line}:${at2.column}: not valid JSON: ${at2.problem}` : `cdn-loader: ${name} is not valid JSON` };
  }
  const at = pageFor(json, page);
  try {
    new URL(at);
  } catch {
    return { ok: false, message: `cdn-loader: --page ${JSON.stringify(at)} is not a URL` };
  }
  try {
    const c = parseManifest(json, at);
    const n = (k, what) => `${k} ${what}${k === 1 ? "" : "s"}`;
    const warnings = [];
    if (!c.edges.length) warnings.push(`${name} has no edges: every resource loads from the origin`);
    if (!c.rules.length) warnings.push(`${name} registers no assets: the loader handles no resource`);
    return {
      ok: true,
      page: at,
      warnings,
      summary: `mode ${c.mode}, origin ${c.origin.url}, ${n(c.edges.length, "edge")} (${c.edges.map((e) => e.id).join(", ") || "none"}), ${n(c.rules.length, "asset rule")}`
    };
  } catch (e) {
    if (e instanceof ManifestError) return { ok: false, page: at, message: e.message };
    throw e;
  }
}

// cli/main.ts
var processIo = {
  out: (t) => process.stdout.write(t + "\n"),
  err: (t) => process.stderr.write(t + "\n"),
  stdin: () => readFileSync(0, "utf8")
};
var SCHEMA_URL = `https://unpkg.com/cdn-loader@${version}/schema/cdn-manifest.schema.json`;
var USAGE = `Usage:
  cdn-loader manifest <dir> --edge URL [--edge URL\u2026] [options]
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
                       <script src="/cdn-loader.js" data-manifest="\u2026">
      --loader URL     with --one-tag (it implies it): where pages load the
                       loader from; given, nothing is copied (default
                       /cdn-loader.js, copied)
      --manifest-url URL  with --one-tag (it implies it): data-manifest of
                       the tag (default /cdn-manifest.json)
      --page URL       a page of the site, for the manifest check
  cdn-loader version   (or --version; through npx: npx cdn-loader --version)`;
async function main(args, io = processIo) {
  if (args[0] === "--") args = args.slice(1);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        edge: { type: "string", multiple: true },
        origin: { type: "string" },
        mode: { type: "string" },
        exact: { type: "boolean" },
        out: { type: "string" },
        page: { type: "string" },
        strict: { type: "boolean" },
        manifest: { type: "string" },
        "manifest-url": { type: "string" },
        loader: { type: "string" },
        runtime: { type: "string" },
        "dry-run": { type: "boolean" },
        "one-tag": { type: "boolean" },
        "plain-urls": { type: "boolean" },
        returning: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" }
      }
    });
  } catch (e) {
    return usage(io, e.message);
  }
  const { values: v, positionals: [command, target, ...extra] } = parsed;
  if (v.version || command === "version" && !target) {
    io.out(version);
    return 0;
  }
  if (v.help || !command || command === "help" && !target) {
    io.out(USAGE);
    return v.help || command ? 0 : 2;
  }
  if (extra.length) return usage(io, `unexpected argument ${JSON.stringify(extra[0])}`);
  if (command === "check") {
    if (!target) return usage(io, 'check needs a manifest file (or "-" for standard input)');
    for (const k of ["edge", "origin", "mode", "exact", "out"]) if (v[k] !== void 0) return usage(io, `--${k} belongs to "manifest", not "check"`);
    let text;
    try {
      text = target === "-" ? io.stdin() : readFileSync(target, "utf8");
    } catch (e) {
      io.err(`cdn-loader: cannot read ${target} (${e.code ?? e.message})`);
      return 2;
    }
    const r = check(text, target === "-" ? "standard input" : target, v.page);
    if (!r.ok) {
      fault(io, r);
      return 1;
    }
    io.out(`${target}: valid for a page on ${r.page}: ${r.summary}`);
    for (const w of r.warnings) io.err(`cdn-loader: warning: ${w}`);
    if (v.strict && r.warnings.length) {
      io.err("  (--strict: a warning fails the check)");
      return 1;
    }
    return 0;
  }
  if (command === "manifest") {
    if (!target) return usage(io, "manifest needs the folder of static files");
    if (!v.edge?.length) return usage(io, "manifest needs at least one --edge URL");
    if (v.strict !== void 0) return usage(io, '--strict belongs to "check", not "manifest"');
    const out = v.out ?? join(target, "cdn-manifest.json");
    const options = check(JSON.stringify(head({ edges: v.edge, origin: v.origin, mode: v.mode })), out, v.page);
    if (!options.ok) {
      fault(io, options);
      return 1;
    }
    let result;
    try {
      result = scan(target, { edges: v.edge, origin: v.origin, mode: v.mode, exact: v.exact, skip: [out, join(target, "cdn-manifest.json")].filter((f) => f !== "-"), schema: SCHEMA_URL });
    } catch (e) {
      io.err(`cdn-loader: cannot read ${target} (${e.code ?? e.message})`);
      return 2;
    }
    for (const w of result.warnings) io.err(`cdn-loader: ${w}`);
    if (!existsSync(join(target, PROBE)))
      io.err(`cdn-loader: note: ${join(target, PROBE)} is missing; every edge must answer /${PROBE} (the nginx recipe does so from memory, elsewhere copy any 1\xD71 GIF there)`);
    const json = JSON.stringify(result.manifest, null, 2) + "\n";
    const r = check(json, out, v.page);
    if (!r.ok) {
      fault(io, r);
      return 1;
    }
    const what = `${result.files} files in ${result.manifest.assets.length} asset entries (${result.hashed} with integrity); ${r.summary}`;
    if (out === "-") {
      io.out(json.trimEnd());
      io.err(`cdn-loader: ${what}`);
    } else {
      try {
        writeFileSync(out, json);
      } catch (e) {
        io.err(`cdn-loader: cannot write ${out} (${e.code ?? e.message})`);
        return 2;
      }
      io.out(`wrote ${relative(process.cwd(), out) || out}: ${what}`);
    }
    return 0;
  }
  if (command === "rewrite") {
    if (!target) return usage(io, "rewrite needs the folder of the built site");
    for (const k of ["edge", "origin", "mode", "exact", "out"]) if (v[k] !== void 0) return usage(io, `--${k} belongs to "manifest", not "rewrite"`);
    return rewrite(io, target, v);
  }
  return usage(io, `unknown command ${JSON.stringify(command)}`);
}
function rewrite(io, dir, v) {
  const one = ["one-tag", "loader", "manifest-url"].find((k) => v[k] !== void 0);
  const rel = ["runtime", "loader", "manifest-url"].find((k) => v[k] !== void 0 && !/^(\/|https?:\/\/)/i.test(v[k]));
  if (rel) return usage(io, `--${rel} "${v[rel]}" is relative: a page in a folder would look for it in that folder; give a path from the site's root (/\u2026) or an http(s) URL`);
  if (v.runtime !== void 0 && one) return usage(io, `--runtime (the inline boot's runtime) and --${one} (the one loader tag) ask for two different pages: give one or the other`);
  if (v["plain-urls"] && one)
    return usage(io, `--plain-urls and --${one}: the one loader tag does not watch plain URLs for hangs (only the runtime beside the inline boot does); leave out one of them`);
  if (v.returning && one) return usage(io, `--returning and --${one}: returning pages load the inline boot from a file, and the one loader tag has no boot; leave out one of them`);
  if (v.runtime && /(^|\/)cdn-loader(\.min)?\.js$/.test(v.runtime.replace(/[?#].*/, "")))
    return usage(io, `--runtime ${v.runtime}: cdn-loader.js is the one-tag loader, and beside the inline boot a page would start two loaders; give the URL of cdn-loader-runtime.js, or --loader for the one tag`);
  const file = v.manifest ?? join(dir, "cdn-manifest.json");
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    io.err(`cdn-loader: cannot read ${file} (${e.code ?? e.message}); write it first: cdn-loader manifest ${dir} --edge URL`);
    return 2;
  }
  const r = check(text, file, v.page);
  if (!r.ok) {
    fault(io, r);
    return 1;
  }
  const json = JSON.parse(text);
  const cfg = parseManifest(json, pageFor(json, v.page));
  const dry = !!v["dry-run"];
  const boot = !one;
  const loader = boot ? "cdn-loader-runtime.js" : "cdn-loader.js";
  const given = boot ? v.runtime : v.loader;
  const src = given ?? "/" + loader;
  const blocked = [];
  const plan = {
    manifest: json,
    runtime: src,
    boot,
    one: (_, nonce) => loaderTag(src, v["manifest-url"] ?? "/cdn-manifest.json", nonce),
    plain: v["plain-urls"] ? cfg : void 0,
    bootSrc: v.returning ? "/" + bootFile().name : void 0
  };
  let site;
  try {
    site = rewriteSite(dir, {
      registered: (p) => !!findRule(cfg, p),
      origins: [cfg.origin.url],
      tag: (page) => {
        const why = boot && bootRefused(page, decodeURIComponent(page.page.slice(1)), v["plain-urls"] ? "--plain-urls" : void 0);
        if (why) blocked.push(`cdn-loader: note: ${why}`);
        return pageHead(page, plan);
      },
      plain: (page) => plainUrls(page, plan),
      dry
    });
  } catch (e) {
    io.err(`cdn-loader: cannot rewrite ${dir} (${e.code ?? e.message})`);
    return 2;
  }
  for (const c of site.changed) if (dry) io.out(c.diff);
  for (const m of site.refused) io.err(m);
  for (const m of blocked) io.err(m);
  const wrote = [];
  const extras = [[PROBE, () => PROBE_GIF]];
  if (!given) extras.push([loader, () => readFileSync(packageFile(loader))]);
  for (const [name, body] of extras) {
    const to = join(dir, name);
    const b = body();
    if (existsSync(to) && readFileSync(to).equals(b)) continue;
    if (!dry) writeFileSync(to, b);
    wrote.push(name);
  }
  let note;
  if (v.returning) {
    const r2 = writeReturning(dir, plan.bootSrc, dry ? [] : htmlFiles(dir).map((f) => [relative(dir, f).split(sep).join("/"), readFileSync(f, "utf8")]), dry);
    wrote.push(...r2.wrote);
    note = r2.note;
  } else if (existsSync(join(dir, RETURNING_DIR))) {
    if (!dry) rmSync(join(dir, RETURNING_DIR), { recursive: true, force: true });
    note = `cdn-loader: note: ${dry ? "would remove" : "removed"} ${RETURNING_DIR}/, the returning pages of an earlier --returning (an origin would go on serving their old content)`;
  }
  const n = site.changed.length;
  io[dry ? "err" : "out"](
    `${dry ? "would rewrite" : "rewrote"} ${n} page${n === 1 ? "" : "s"} (${site.changed.reduce((s, c) => s + c.renamed, 0)} attributes, ${site.changed.filter((c) => c.tagged).length} loader tags); ${site.unchanged} unchanged; ${site.refused.length} refused` + (wrote.length ? `; ${dry ? "would write" : "wrote"} ${wrote.join(", ")}` : "")
  );
  if (note) io.err(note);
  if (boot && site.changed.some((c) => c.tagged))
    io.err(`cdn-loader: note: under a Content-Security-Policy that blocks inline scripts, the inline boot needs ${bootHash()} in script-src (or a nonce on the page's scripts, which the boot's tag takes)`);
  return site.refused.length ? 1 : 0;
}
function fault(io, r) {
  io.err(r.message);
  if (r.page && r.message.includes("mixed content")) io.err(`  (checked for a page on ${r.page}; --page URL sets the page that uses it)`);
}
function usage(io, problem) {
  io.err(`cdn-loader: ${problem}

${USAGE}`);
  return 2;
}
export {
  SCHEMA_URL,
  USAGE,
  main
};
