// cli/main.ts
import { existsSync, readFileSync as readFileSync2, writeFileSync } from "node:fs";
import { join as join2, relative } from "node:path";
import { parseArgs } from "node:util";

// package.json
var version = "0.1.0";

// src/lib/manifest.ts
var ORIGIN = "origin";
var MODES = ["always", "round-robin", "off"];
var ManifestError = class extends Error {
};
var show = (v) => {
  const s = Array.isArray(v) ? "an array" : v && typeof v === "object" ? "an object" : typeof v === "string" ? JSON.stringify(v) : String(v);
  return s.length > 80 ? s.slice(0, 77) + "\u2026" : s;
};
var fail = (field, v, problem) => {
  throw new ManifestError(`cdn-loader: manifest${field && "." + field}: ${show(v)} ${problem}`);
};
var isObj = (v) => !!v && typeof v === "object" && !Array.isArray(v);
var own = (o, key) => Object.prototype.hasOwnProperty.call(o, key) ? o[key] : void 0;
var obj = (f, v) => v === void 0 ? {} : isObj(v) ? v : fail(f, v, "is not an object");
var list = (f, v, max) => v === void 0 ? [] : !Array.isArray(v) ? fail(f, v, "is not an array") : v.length > max ? fail(f, v, `has more than ${max} entries`) : Array.from(v);
function num(f, v, dflt, min, max, whole) {
  if (v === void 0) return dflt;
  if (typeof v !== "number" || !(v >= min && v <= max) || whole && v % 1) fail(f, v, `is not a ${whole ? "whole " : ""}number from ${min} to ${max}`);
  return v;
}
var bool = (f, v) => v === void 0 ? false : typeof v === "boolean" ? v : fail(f, v, "is not true or false");
var oneOf = (f, v, options) => v === void 0 || options.includes(v) ? v : fail(f, v, `is not one of ${options.map((o) => `"${o}"`).join(", ")}`);
var LOOPBACK = /^(localhost|.+\.localhost|127(\.\d+){3}|\[::1\])$/;
function base(f, v, page) {
  let u;
  try {
    u = typeof v === "string" && /^https?:\/\//i.test(v) ? new URL(v) : void 0;
  } catch {
  }
  if (!u) return fail(f, v, "is not an http(s) URL");
  if (u.username || u.password || /[?#]/.test(v)) fail(f, v, "must not have credentials, a query or a fragment");
  if (page.protocol === "https:" && u.protocol === "http:" && !LOOPBACK.test(u.hostname)) fail(f, v, "is http: on an https: page (mixed content)");
  return u.href.replace(/\/+$/, "");
}
var path = (f, v) => typeof v === "string" && /^\/(?!\/)[^\s\\<>"'`]{0,2047}$/.test(v) ? v : fail(f, v, 'is not a path starting with one "/"');
var SRI = /^(sha(256|384|512)-[\w+/]+={0,2}\s*)+$/;
function glob(pattern, path2) {
  let ok = [true, ...Array.from(path2, () => false)];
  for (let i = 0; i < pattern.length; i++) {
    const star = pattern[i] === "*";
    const any = star && pattern[i + 1] === "*";
    if (any) i++;
    const next = [star && ok[0]];
    for (let j = 1; j <= path2.length; j++)
      next[j] = star ? ok[j] || next[j - 1] && (any || path2[j - 1] !== "/") : ok[j - 1] && path2[j - 1] === pattern[i];
    ok = next;
  }
  return ok[path2.length];
}
function compile(pattern) {
  if (pattern.includes("*")) return { kind: 1, test: (p) => glob(pattern, p) };
  return pattern.endsWith("/") ? { kind: 2, test: (p) => p.startsWith(pattern) } : { kind: 0, test: (p) => p === pattern };
}
function parseManifest(input, pageUrl) {
  const page = new URL(pageUrl);
  if (!isObj(input)) return fail("", input, "is not a JSON object");
  const get = (k) => own(input, k);
  const o = get("origin");
  const ids = /* @__PURE__ */ new Set([ORIGIN]);
  const edges = list("edges", get("edges"), 64).map((e, i) => {
    let f = `edges[${i}]`;
    const eo = typeof e === "string" ? { url: e } : isObj(e) ? e : fail(f, e, 'is not a URL or an object with "url"');
    const url = base(typeof e === "string" ? f : f + ".url", own(eo, "url"), page);
    let id = own(eo, "id");
    if (id === void 0) id = new URL(url).host;
    else {
      f += ".id";
      if (typeof id !== "string" || !/^[\w.:-]{1,64}$/.test(id)) fail(f, id, 'is not a name of letters, digits, "_", "-", ".", ":"');
    }
    if (ids.has(id)) fail(f, id, 'is taken (by another edge, or "origin"): give each edge its own "id"');
    ids.add(id);
    return { id, url, weight: num(`edges[${i}].weight`, own(eo, "weight"), 1, 0, 1e6) };
  });
  const rules = list("assets", get("assets"), 1e4).map((a, i) => {
    const f = `assets[${i}]`;
    const ao = typeof a === "string" ? { path: a } : isObj(a) ? a : fail(f, a, 'is not a path or an object with "path"');
    const p = path(typeof a === "string" ? f : f + ".path", own(ao, "path"));
    const sri2 = own(ao, "integrity");
    const c = compile(p);
    if (sri2 !== void 0 && (typeof sri2 !== "string" || !SRI.test(sri2) || c.kind))
      fail(f + ".integrity", sri2, c.kind ? "needs an exact path, not a prefix or glob" : 'is not an SRI hash such as "sha384-\u2026"');
    return { path: p, test: c.test, mode: oneOf(f + ".mode", own(ao, "mode"), MODES), integrity: sri2?.trim(), k: c.kind, i };
  }).sort((a, b) => a.k - b.k || b.path.length - a.path.length || a.i - b.i);
  const probe = obj("probe", get("probe"));
  const failover = obj("failover", get("failover"));
  const ft = own(failover, "timeout");
  const pp = own(probe, "path");
  const sw = get("serviceWorker");
  return {
    mode: oneOf("mode", get("mode"), MODES) ?? "always",
    origin: {
      id: ORIGIN,
      url: o === void 0 ? page.origin : base(isObj(o) ? "origin.url" : "origin", isObj(o) ? own(o, "url") : o, page),
      weight: isObj(o) ? num("origin.weight", own(o, "weight"), 1, 0, 1e6) : 1
    },
    edges,
    rules,
    sticky: bool("sticky", get("sticky")),
    probe: {
      type: oneOf("probe.type", own(probe, "type"), ["image", "fetch"]) ?? "image",
      path: pp === void 0 ? "/cdn-probe.gif" : path("probe.path", pp),
      timeout: num("probe.timeout", own(probe, "timeout"), 2e3, 50, 6e4),
      interval: num("probe.interval", own(probe, "interval"), 3e4, 1e3, 864e5),
      ttl: num("probe.ttl", own(probe, "ttl"), 3e5, 0, 864e5)
    },
    failover: {
      timeout: ft === void 0 || ft === "auto" ? "auto" : num("failover.timeout", ft, 0, 50, 6e4),
      retries: num("failover.retries", own(failover, "retries"), 1, 0, 64, true)
    },
    debug: bool("debug", get("debug")),
    manifestTimeout: num("manifestTimeout", get("manifestTimeout"), 1500, 0, 6e4),
    worker: sw === void 0 ? sw : path("serviceWorker", sw)
  };
}

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

// cli/scan.ts
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
var PROBE = "cdn-probe.gif";
var PAGE = /\.html?$/i;
var HASHED = /\.(m?js|css)$/i;
var sri = (body) => "sha384-" + createHash("sha384").update(body).digest("base64");
function urlPath(segments) {
  const raw = "/" + segments.map((s) => s.replace(/%/g, "%25").replace(/\?/g, "%3F").replace(/#/g, "%23")).join("/");
  return new URL(raw, "http://x").pathname;
}
function walk(dir, segments, skip, warnings, seen = /* @__PURE__ */ new Set()) {
  const children = [];
  let clean = true;
  seen.add(realpathSync(dir));
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name.startsWith(".") || !segments.length && name === PROBE) continue;
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
      if (sub.children.length) children.push(sub);
    } else if (st.isFile() && !PAGE.test(name)) children.push({ path: urlPath(segs), file: full, clean: true });
    else clean = false;
  }
  return { path: urlPath(segments) + (segments.length ? "/" : ""), children, clean };
}
function refused(path2) {
  try {
    parseManifest({ assets: [path2] }, "https://localhost/");
    return path2.includes("*") ? 'contains "*", which the manifest reads as a glob' : void 0;
  } catch (e) {
    if (e instanceof ManifestError) return e.message.replace(/^cdn-loader: manifest\.assets\[0\]: /, "");
    throw e;
  }
}
function edge(spec) {
  const m = /^([\w.:-]{1,64})=(https?:.*)$/i.exec(spec);
  return m ? { id: m[1], url: m[2] } : spec;
}
function scan(dir, o) {
  const warnings = [];
  const root = walk(resolve(dir), [], new Set((o.skip ?? []).map((f) => resolve(f))), warnings);
  const prefixes = [];
  const plain = [];
  const hashed = [];
  let files = 0;
  const visit = (n, covered) => {
    if (n.children) {
      const prefix = !covered && !o.exact && n.clean && n.path !== "/";
      if (prefix) {
        const why2 = refused(n.path);
        if (why2) warnings.push(`listed the files of ${n.path} one by one: the folder's path ${why2}`);
        else prefixes.push(n.path);
        for (const c of n.children) visit(c, covered || !why2);
        return;
      }
      for (const c of n.children) visit(c, covered);
      return;
    }
    const hash = HASHED.test(n.path);
    const why = hash || !covered ? refused(n.path) : void 0;
    if (why && !covered) {
      warnings.push(`skipped ${n.file}: its path ${why}`);
      return;
    }
    files++;
    if (why) warnings.push(`${n.file} is registered by its folder, but without integrity: its path ${why}`);
    else if (hash) hashed.push({ path: n.path, integrity: sri(readFileSync(n.file)) });
    else if (!covered) plain.push(n.path);
  };
  visit(root, false);
  const manifest = {};
  if (o.schema) manifest.$schema = o.schema;
  if (o.mode) manifest.mode = o.mode;
  if (o.origin) manifest.origin = o.origin;
  manifest.edges = o.edges.map(edge);
  manifest.assets = [...prefixes, ...plain, ...hashed];
  return { manifest, warnings, files, hashed: hashed.length };
}

// cli/main.ts
var processIo = {
  out: (t) => process.stdout.write(t + "\n"),
  err: (t) => process.stderr.write(t + "\n"),
  stdin: () => readFileSync2(0, "utf8")
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
      text = target === "-" ? io.stdin() : readFileSync2(target, "utf8");
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
    const out = v.out ?? join2(target, "cdn-manifest.json");
    let result;
    try {
      result = scan(target, { edges: v.edge, origin: v.origin, mode: v.mode, exact: v.exact, skip: [out, join2(target, "cdn-manifest.json")].filter((f) => f !== "-"), schema: SCHEMA_URL });
    } catch (e) {
      io.err(`cdn-loader: cannot read ${target} (${e.code ?? e.message})`);
      return 2;
    }
    for (const w of result.warnings) io.err(`cdn-loader: ${w}`);
    if (!existsSync(join2(target, PROBE)))
      io.err(`cdn-loader: note: ${join2(target, PROBE)} is missing; every edge must answer /${PROBE} (the nginx recipe does so from memory, elsewhere copy any 1\xD71 GIF there)`);
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
  return usage(io, `unknown command ${JSON.stringify(command)}`);
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
