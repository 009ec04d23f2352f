// `cdn-loader/vite`: adopts the loader from a Vite build in one step. After the client build it writes the
// manifest from the output, puts the manifest and the inline boot first in every page's <head> and the
// runtime async at the end of its <body> (or the one loader tag: `boot: false`, `manifest: 'link'`), and
// rewrites the pages' registered URLs into data-cdn-*, with the same code as `cdn-loader rewrite`
// (rewrite.ts, pageTags.ts). The dev
// server never sees it (`apply: 'build'`). Bundled into dist/vite.mjs, never into the loader.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import type { AssetInput, EdgeInput, Manifest, Mode } from '../src/types.js';
import { ManifestError, findRule, parseManifest } from '../src/manifest/manifest.js';
import { rewriteHtml, UnsafeHtml } from './rewrite.js';
import { PROBE_GIF, RETURNING_DIR, packageFile } from './site.js';
import { bootRefused, loaderTag, nonceAttr, pageHead, plainUrls, type HeadPlan } from './pageTags.js';
import { sri } from './scan.js';
import { bootFile, writeReturning } from './returning.js';

/** Options of the Vite plugin: the hosts are all it needs. */
export interface CdnLoaderOptions {
  /** The edges: URLs (`https://cdn-eu.example.org`) or `{ id, url, weight }`. At least one. */
  edges: (string | EdgeInput)[];
  /** Where the assets also live; default: the page's own origin. */
  origin?: string | { url: string; weight?: number };
  /** `always` (default), `round-robin` or `off`. */
  mode?: Mode;
  /** More `assets` entries, for files that are not in the build output (e.g. `"/images/"` of `public/`). */
  assets?: (string | AssetInput)[];
  /** Other manifest fields, as in cdn-manifest.json. */
  sticky?: boolean;
  probe?: Manifest['probe'];
  failover?: Manifest['failover'];
  debug?: boolean;
  /**
   * `"inline"` (default): each page carries its manifest in the loader's tag, so the first visit waits
   * for nothing but the loader (docs/vite.md shows the measurement). `"link"`: pages name
   * /cdn-manifest.json and preload it beside the loader; later pages start from the cached copy.
   */
  manifest?: 'inline' | 'link';
  /**
   * With the manifest inline (default true): each page carries the inline boot (dist/cdn-loader-boot.js)
   * and loads the runtime `async`, so a first visit starts its images without waiting for a script from
   * the origin (docs/first-visit.md). False: the one loader tag. The boot and the runtime take the page's
   * nonce (`html.cspNonce`); a page whose <meta> CSP blocks the boot gets the runtime as one tag (the build
   * warns); a CSP sent as a header needs the boot's hash (docs/static-sites.md), or `boot: false`.
   */
  boot?: boolean;
  /**
   * Images and stylesheets of mode `always` keep a plain URL at the first edge (stylesheets with their
   * integrity), so the browser fetches them with the HTML; the runtime watches them for hangs. Default
   * false; needs the inline boot (not `boot: false` or `manifest: 'link'`). docs/vite.md has the trade-offs.
   */
  plainUrls?: boolean;
  /**
   * Returning visits without the inline boot's bytes (default false; needs the inline boot): the boot also
   * goes beside the pages as `cdn-loader-boot.<hash>.js`, every page's boot names it (the runtime caches it
   * and sets the cookie `cdn_boot`), and every page gets a twin in `cdn-returning/<hash>/` that loads it by
   * URL, for an origin that picks by the cookie (recipes/nginx-origin.conf; a site at the root, `base: '/'`).
   */
  returning?: boolean;
  /**
   * Asset URLs inside scripts are written relative to the script (default true), so a chunk that an
   * edge serves loads its images and chunks from the same edge, and dynamic imports preload there.
   * Turn it off for an SSR app whose server renders the same URLs (docs/ssr.md).
   */
  relativeUrls?: boolean;
  /**
   * The service worker (dist/cdn-loader-sw.js, docs/service-worker.md). When true, the plugin emits it
   * at `<base>cdn-loader-sw.js` and names it in the manifest (`serviceWorker`), so the loader registers
   * it: chunks, CSS `url()`s and fonts the page never names then fail over too.
   */
  serviceWorker?: boolean;
}

const NAME = 'cdn-loader';
const SW = 'cdn-loader-sw.js';
const say = (m: string) => `cdn-loader/vite: ${m}`;
const hash8 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex').slice(0, 8);

/** `'` and `&` are all that matter inside a single-quoted attribute. */
const attrJson = (v: unknown) => JSON.stringify(v).replace(/&/g, '&amp;').replace(/'/g, '&#39;');

/**
 * The Vite plugin. `vite build` then writes cdn-manifest.json (every file of the build registered, with
 * the integrity of every script and stylesheet), the loader, the probe image, and pages that load their
 * registered resources through the loader. `vite` (the dev server) is left as it is.
 */
export default function cdnLoader(options: CdnLoaderOptions): Plugin {
  const o = options ?? ({} as CdnLoaderOptions);
  let config: ResolvedConfig;
  let loaderFile = '';
  let skip = false;

  /** The manifest for the build: prefix of the assets folder, other files one by one, integrity of scripts and styles. */
  const draft = (assets: (string | AssetInput)[]): Manifest => {
    const m: Manifest = {};
    if (o.mode) m.mode = o.mode;
    if (o.origin) m.origin = o.origin;
    m.edges = o.edges;
    m.assets = [...assets, ...(o.assets ?? [])];
    if (o.sticky !== undefined) m.sticky = o.sticky;
    const base = config?.base ?? '/';
    // The worker is emitted at the site's root under `base`; the loader registers it from the manifest.
    if (o.serviceWorker) m.serviceWorker = base + SW;
    // The probe is emitted with the pages, so it lives under `base` too.
    m.probe = { ...(base !== '/' ? { path: base + 'cdn-probe.gif' } : {}), ...o.probe };
    if (!Object.keys(m.probe).length) delete m.probe;
    if (o.failover) m.failover = o.failover;
    if (o.debug !== undefined) m.debug = o.debug;
    return m;
  };
  const origin = typeof o.origin === 'string' ? o.origin : o.origin?.url;
  /** The inline boot and the runtime async, rather than one loader tag. */
  const split = () => o.manifest !== 'link' && o.boot !== false;
  /** The loader's own validator, with the page it will run on (the origin, else an https page). */
  const validate = (m: Manifest) => parseManifest(m, origin && /^https?:\/\//.test(origin) ? new URL('/', origin).href : 'https://localhost/');

  return {
    name: NAME,
    apply: 'build',
    enforce: 'post',
    config(user) {
      if (!o.edges?.length) throw new Error(say('give at least one edge: cdnLoader({ edges: ["https://cdn-eu.example.org"] })'));
      // One loader per page: the inline boot, or the one tag that a linked manifest needs.
      if (o.boot && o.manifest === 'link') throw new Error(say('boot: true needs the manifest inline: manifest: "link" gives pages the one loader tag; leave out one of them'));
      const one = o.boot === false ? 'boot: false' : o.manifest === 'link' && 'manifest: "link"';
      if (o.plainUrls && one) throw new Error(say(`plainUrls: true and ${one}: the one loader tag does not watch plain URLs for hangs (only the runtime beside the inline boot does); leave out one of them`));
      if (o.returning && one) throw new Error(say(`returning: true and ${one}: returning pages load the inline boot from a file, and the one loader tag has no boot; leave out one of them`));
      try {
        validate(draft([]));
      } catch (e) {
        throw new Error(say(e instanceof ManifestError ? e.message.replace(/^cdn-loader: /, '') : String(e)));
      }
      if (user.experimental?.renderBuiltUrl) return;
      const relativeJs = o.relativeUrls !== false;
      return {
        experimental: {
          // A stylesheet or chunk served by an edge finds what it references on the same edge (an edge may
          // serve the site under a path, so `/assets/…` would miss). Server builds keep their URLs.
          renderBuiltUrl: (_file, { hostType, ssr }) => (!ssr && (hostType === 'css' || (hostType === 'js' && relativeJs)) ? { relative: true } : undefined),
        },
      };
    },
    configResolved(c) {
      config = c;
      skip = !!c.build.ssr;
      if (/^[a-z][\w+.-]*:/i.test(c.base) || c.base.startsWith('//'))
        throw new Error(say(`base ${JSON.stringify(c.base)} is a URL: the loader chooses the host, so give base as a path ("/" or "/app/")`));
      // The manifest registers absolute paths, so it must know where the site is served.
      if (!c.base.startsWith('/')) throw new Error(say(`base ${JSON.stringify(c.base)} is relative: give the path the site is served under ("/" or "/app/")`));
      // (The cookie names the boot's URL and the origin looks for the returning pages from its root: recipes/nginx-origin.conf.)
      if (o.returning && c.base !== '/') throw new Error(say(`returning: true needs the site at the root (base "/", not ${JSON.stringify(c.base)}): the origin picks the returning pages from there`));
    },
    generateBundle(_, bundle) {
      if (skip || this.environment?.config.consumer === 'server') return;
      if (!Object.keys(bundle).some((f) => /\.html?$/i.test(f))) {
        this.warn(say('this build has no pages (.html), so nothing loads the loader: nothing was added'));
        return;
      }
      const name = split() ? 'cdn-loader-runtime' : 'cdn-loader';
      const loader = readFileSync(packageFile(name + '.js'));
      // Named by its content: a long cache can never serve an old loader to a new page.
      loaderFile = `${config.build.assetsDir}/${name}-${hash8(loader)}.js`.replace(/^\//, '');
      this.emitFile({ type: 'asset', fileName: loaderFile, source: loader });
      this.emitFile({ type: 'asset', fileName: 'cdn-probe.gif', source: PROBE_GIF });
      if (o.serviceWorker) {
        // The loader registers it (the manifest's `serviceWorker`, set in draft()) and hands it the manifest.
        let sw: Buffer | undefined;
        try {
          sw = readFileSync(packageFile(SW));
        } catch {
          this.warn(say(`serviceWorker: this version of cdn-loader ships no ${SW} yet; nothing was emitted`));
        }
        if (sw) this.emitFile({ type: 'asset', fileName: SW, source: sw });
      }
    },
    writeBundle(out, bundle) {
      if (skip || this.environment?.config.consumer === 'server' || !loaderFile) return;
      const dir = out.dir ?? config.build.outDir;
      const base = config.base;
      const assetsDir = config.build.assetsDir.replace(/^\/|\/$/g, '');
      const pages: [string, string][] = [];
      const assets: (string | AssetInput)[] = [];
      const hashed: Record<string, string> = {};
      let underAssets = false;
      for (const f of Object.values(bundle)) {
        const name = f.fileName;
        if (/\.html?$/i.test(name)) {
          pages.push([name, f.type === 'asset' ? String(f.source) : f.code]);
          continue;
        }
        if (name === loaderFile || name === 'cdn-probe.gif' || name === SW || name.endsWith('.map')) continue;
        // Integrity of the bytes as written (plugins may change chunks until the very end).
        if (/\.(m?js|css)$/i.test(name)) hashed[base + name] = sri(readFileSync(join(dir, name)));
        if (assetsDir && name.startsWith(assetsDir + '/')) underAssets = true;
        else assets.push(base + name);
      }
      const prefix: (string | AssetInput)[] = underAssets ? [`${base}${assetsDir}/`] : [];
      const full = draft([...prefix, ...assets, ...Object.entries(hashed).map(([path, integrity]) => ({ path, integrity }))]);
      const cfg = validate(full);
      writeFileSync(join(dir, 'cdn-manifest.json'), JSON.stringify(full, null, 2) + '\n');

      const registered = (p: string) => !!findRule(cfg, p) && !p.endsWith('/' + loaderFile);
      // Absolute URLs in the pages are the site's own on the given origin; without one, only relative URLs are.
      const origins = origin ? [cfg.origin.url] : [];
      const src = base + loaderFile;
      const plan: HeadPlan = {
        manifest: full,
        runtime: src,
        boot: split(),
        one: (own, nonce) => (o.manifest === 'link' ? loaderTag(src, base + 'cdn-manifest.json', nonce) : `<script${nonceAttr(nonce)} src="${src}" data-manifest='${attrJson(own)}'></script>`),
        plain: o.plainUrls ? cfg : undefined,
        bootSrc: o.returning ? base + bootFile().name : undefined,
      };
      for (const [name, html] of pages) {
        let r;
        try {
          r = rewriteHtml(html, {
            page: base + name,
            registered,
            origins,
            tag: (p) => {
              const why = plan.boot && bootRefused(p, name, o.plainUrls ? 'plainUrls' : undefined);
              if (why) this.warn(say(why));
              return pageHead(p, plan);
            },
            plain: (p) => plainUrls(p, plan),
          });
        } catch (e) {
          if (e instanceof UnsafeHtml) throw new Error(say(`${name}:${e.message}`));
          throw e;
        }
        writeFileSync(join(dir, name), r.html);
      }
      if (!existsSync(join(dir, 'cdn-probe.gif'))) writeFileSync(join(dir, 'cdn-probe.gif'), PROBE_GIF);
      // The boot's file and the returning pages (cli/returning.ts).
      if (o.returning) {
        const r = writeReturning(dir, plan.bootSrc!, pages.map(([name]) => [name, readFileSync(join(dir, name), 'utf8')]), false);
        if (r.note) this.warn(say(r.note.replace(/^cdn-loader: note: /, '')));
      } else if (existsSync(join(dir, RETURNING_DIR))) {
        // (An output folder kept from an earlier build: an origin would go on serving the old pages.)
        rmSync(join(dir, RETURNING_DIR), { recursive: true, force: true });
        this.warn(say(`removed ${RETURNING_DIR}/, the returning pages of an earlier build with returning: true`));
      }
    },
  };
}
