import {
  ManifestError,
  PROBE_GIF,
  RETURNING_DIR,
  UnsafeHtml,
  bootFile,
  bootRefused,
  findRule,
  loaderTag,
  nonceAttr,
  packageFile,
  pageHead,
  parseManifest,
  plainUrls,
  rewriteHtml,
  sri,
  writeReturning
} from "./chunks/chunk-EXB3WNHU.mjs";

// cli/vite.ts
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
var NAME = "cdn-loader";
var SW = "cdn-loader-sw.js";
var say = (m) => `cdn-loader/vite: ${m}`;
var hash8 = (b) => createHash("sha256").update(b).digest("hex").slice(0, 8);
var attrJson = (v) => JSON.stringify(v).replace(/&/g, "&amp;").replace(/'/g, "&#39;");
function cdnLoader(options) {
  const o = options ?? {};
  let config;
  let loaderFile = "";
  let skip = false;
  const draft = (assets) => {
    const m = {};
    if (o.mode) m.mode = o.mode;
    if (o.origin) m.origin = o.origin;
    m.edges = o.edges;
    m.assets = [...assets, ...o.assets ?? []];
    if (o.sticky !== void 0) m.sticky = o.sticky;
    const base = config?.base ?? "/";
    if (o.serviceWorker) m.serviceWorker = base + SW;
    m.probe = { ...base !== "/" ? { path: base + "cdn-probe.gif" } : {}, ...o.probe };
    if (!Object.keys(m.probe).length) delete m.probe;
    if (o.failover) m.failover = o.failover;
    if (o.debug !== void 0) m.debug = o.debug;
    return m;
  };
  const origin = typeof o.origin === "string" ? o.origin : o.origin?.url;
  const split = () => o.manifest !== "link" && o.boot !== false;
  const validate = (m) => parseManifest(m, origin && /^https?:\/\//.test(origin) ? new URL("/", origin).href : "https://localhost/");
  return {
    name: NAME,
    apply: "build",
    enforce: "post",
    config(user) {
      if (!o.edges?.length) throw new Error(say('give at least one edge: cdnLoader({ edges: ["https://cdn-eu.example.org"] })'));
      if (o.boot && o.manifest === "link") throw new Error(say('boot: true needs the manifest inline: manifest: "link" gives pages the one loader tag; leave out one of them'));
      const one = o.boot === false ? "boot: false" : o.manifest === "link" && 'manifest: "link"';
      if (o.plainUrls && one) throw new Error(say(`plainUrls: true and ${one}: the one loader tag does not watch plain URLs for hangs (only the runtime beside the inline boot does); leave out one of them`));
      if (o.returning && one) throw new Error(say(`returning: true and ${one}: returning pages load the inline boot from a file, and the one loader tag has no boot; leave out one of them`));
      try {
        validate(draft([]));
      } catch (e) {
        throw new Error(say(e instanceof ManifestError ? e.message.replace(/^cdn-loader: /, "") : String(e)));
      }
      if (user.experimental?.renderBuiltUrl) return;
      const relativeJs = o.relativeUrls !== false;
      return {
        experimental: {
          // A stylesheet or chunk served by an edge finds what it references on the same edge (an edge may
          // serve the site under a path, so `/assets/…` would miss). Server builds keep their URLs.
          renderBuiltUrl: (_file, { hostType, ssr }) => !ssr && (hostType === "css" || hostType === "js" && relativeJs) ? { relative: true } : void 0
        }
      };
    },
    configResolved(c) {
      config = c;
      skip = !!c.build.ssr;
      if (/^[a-z][\w+.-]*:/i.test(c.base) || c.base.startsWith("//"))
        throw new Error(say(`base ${JSON.stringify(c.base)} is a URL: the loader chooses the host, so give base as a path ("/" or "/app/")`));
      if (!c.base.startsWith("/")) throw new Error(say(`base ${JSON.stringify(c.base)} is relative: give the path the site is served under ("/" or "/app/")`));
      if (o.returning && c.base !== "/") throw new Error(say(`returning: true needs the site at the root (base "/", not ${JSON.stringify(c.base)}): the origin picks the returning pages from there`));
    },
    generateBundle(_, bundle) {
      if (skip || this.environment?.config.consumer === "server") return;
      if (!Object.keys(bundle).some((f) => /\.html?$/i.test(f))) {
        this.warn(say("this build has no pages (.html), so nothing loads the loader: nothing was added"));
        return;
      }
      const name = split() ? "cdn-loader-runtime" : "cdn-loader";
      const loader = readFileSync(packageFile(name + ".js"));
      loaderFile = `${config.build.assetsDir}/${name}-${hash8(loader)}.js`.replace(/^\//, "");
      this.emitFile({ type: "asset", fileName: loaderFile, source: loader });
      this.emitFile({ type: "asset", fileName: "cdn-probe.gif", source: PROBE_GIF });
      if (o.serviceWorker) {
        let sw;
        try {
          sw = readFileSync(packageFile(SW));
        } catch {
          this.warn(say(`serviceWorker: this version of cdn-loader ships no ${SW} yet; nothing was emitted`));
        }
        if (sw) this.emitFile({ type: "asset", fileName: SW, source: sw });
      }
    },
    writeBundle(out, bundle) {
      if (skip || this.environment?.config.consumer === "server" || !loaderFile) return;
      const dir = out.dir ?? config.build.outDir;
      const base = config.base;
      const assetsDir = config.build.assetsDir.replace(/^\/|\/$/g, "");
      const pages = [];
      const assets = [];
      const hashed = {};
      let underAssets = false;
      for (const f of Object.values(bundle)) {
        const name = f.fileName;
        if (/\.html?$/i.test(name)) {
          pages.push([name, f.type === "asset" ? String(f.source) : f.code]);
          continue;
        }
        if (name === loaderFile || name === "cdn-probe.gif" || name === SW || name.endsWith(".map")) continue;
        if (/\.(m?js|css)$/i.test(name)) hashed[base + name] = sri(readFileSync(join(dir, name)));
        if (assetsDir && name.startsWith(assetsDir + "/")) underAssets = true;
        else assets.push(base + name);
      }
      const prefix = underAssets ? [`${base}${assetsDir}/`] : [];
      const full = draft([...prefix, ...assets, ...Object.entries(hashed).map(([path, integrity]) => ({ path, integrity }))]);
      const cfg = validate(full);
      writeFileSync(join(dir, "cdn-manifest.json"), JSON.stringify(full, null, 2) + "\n");
      const registered = (p) => !!findRule(cfg, p) && !p.endsWith("/" + loaderFile);
      const origins = origin ? [cfg.origin.url] : [];
      const src = base + loaderFile;
      const plan = {
        manifest: full,
        runtime: src,
        boot: split(),
        one: (own, nonce) => o.manifest === "link" ? loaderTag(src, base + "cdn-manifest.json", nonce) : `<script${nonceAttr(nonce)} src="${src}" data-manifest='${attrJson(own)}'></script>`,
        plain: o.plainUrls ? cfg : void 0,
        bootSrc: o.returning ? base + bootFile().name : void 0
      };
      for (const [name, html] of pages) {
        let r;
        try {
          r = rewriteHtml(html, {
            page: base + name,
            registered,
            origins,
            tag: (p) => {
              const why = plan.boot && bootRefused(p, name, o.plainUrls ? "plainUrls" : void 0);
              if (why) this.warn(say(why));
              return pageHead(p, plan);
            },
            plain: (p) => plainUrls(p, plan)
          });
        } catch (e) {
          if (e instanceof UnsafeHtml) throw new Error(say(`${name}:${e.message}`));
          throw e;
        }
        writeFileSync(join(dir, name), r.html);
      }
      if (!existsSync(join(dir, "cdn-probe.gif"))) writeFileSync(join(dir, "cdn-probe.gif"), PROBE_GIF);
      if (o.returning) {
        const r = writeReturning(dir, plan.bootSrc, pages.map(([name]) => [name, readFileSync(join(dir, name), "utf8")]), false);
        if (r.note) this.warn(say(r.note.replace(/^cdn-loader: note: /, "")));
      } else if (existsSync(join(dir, RETURNING_DIR))) {
        rmSync(join(dir, RETURNING_DIR), { recursive: true, force: true });
        this.warn(say(`removed ${RETURNING_DIR}/, the returning pages of an earlier build with returning: true`));
      }
    }
  };
}
export {
  cdnLoader as default
};
