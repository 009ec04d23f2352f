import {
  ManifestError,
  PROBE,
  PROBE_GIF,
  findRule,
  loaderTag,
  packageFile,
  parseManifest,
  rewriteSite,
  scan
} from "./chunks/chunk-NU27YT5S.mjs";

// cli/main.ts
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";

// package.json
var version = "0.1.0";

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
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `cdn-loader: ${name} is not valid JSON (${e.message})` };
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
    return {
      ok: true,
      page: at,
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
  cdn-loader check <manifest.json | -> [--page URL]
      Validates a manifest with the loader's own rules and messages; exits
      with 1 when the loader would refuse it.
      --page URL       the page that uses it (default: the manifest's origin,
                       else https://localhost/)
  cdn-loader rewrite <dir> [options]
      Rewrites the pages (.html) in <dir> for the loader: the registered
      src, href, srcset and poster attributes become data-cdn-*, the loader
      tag goes first in <head>, and cdn-loader.js and cdn-probe.gif are put
      beside them. Unregistered URLs, other hosts and inline scripts stay as
      they are; running it twice changes nothing the second time.
      --manifest FILE  the manifest (default <dir>/cdn-manifest.json, written
                       by "cdn-loader manifest")
      --dry-run        print the diff and write nothing
      --loader URL     where pages load the loader from (default
                       /cdn-loader.js, copied into <dir>)
      --manifest-url URL  data-manifest of the tag (default /cdn-manifest.json)
      --page URL       a page of the site, for the manifest check
  cdn-loader --version`;
async function main(args, io = processIo) {
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
        manifest: { type: "string" },
        "manifest-url": { type: "string" },
        loader: { type: "string" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" }
      }
    });
  } catch (e) {
    return usage(io, e.message);
  }
  const { values: v, positionals: [command, target, ...extra] } = parsed;
  if (v.version) {
    io.out(version);
    return 0;
  }
  if (v.help || !command) {
    io.out(USAGE);
    return v.help ? 0 : 2;
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
    return 0;
  }
  if (command === "manifest") {
    if (!target) return usage(io, "manifest needs the folder of static files");
    if (!v.edge?.length) return usage(io, "manifest needs at least one --edge URL");
    const out = v.out ?? join(target, "cdn-manifest.json");
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
  let site;
  try {
    site = rewriteSite(dir, {
      registered: (p) => !!findRule(cfg, p),
      origins: [cfg.origin.url],
      tag: loaderTag(v.loader ?? "/cdn-loader.js", v["manifest-url"] ?? "/cdn-manifest.json"),
      dry
    });
  } catch (e) {
    io.err(`cdn-loader: cannot rewrite ${dir} (${e.code ?? e.message})`);
    return 2;
  }
  for (const c of site.changed) if (dry) io.out(c.diff);
  for (const m of site.refused) io.err(m);
  const wrote = [];
  const extras = [[PROBE, () => PROBE_GIF]];
  if (!v.loader) extras.push(["cdn-loader.js", () => readFileSync(packageFile("cdn-loader.js"))]);
  for (const [name, body] of extras) {
    const to = join(dir, name);
    const b = body();
    if (existsSync(to) && readFileSync(to).equals(b)) continue;
    if (!dry) writeFileSync(to, b);
    wrote.push(name);
  }
  const n = site.changed.length;
  io[dry ? "err" : "out"](
    `${dry ? "would rewrite" : "rewrote"} ${n} page${n === 1 ? "" : "s"} (${site.changed.reduce((s, c) => s + c.renamed, 0)} attributes, ${site.changed.filter((c) => c.tagged).length} loader tags); ${site.unchanged} unchanged; ${site.refused.length} refused` + (wrote.length ? `; ${dry ? "would write" : "wrote"} ${wrote.join(", ")}` : "")
  );
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
