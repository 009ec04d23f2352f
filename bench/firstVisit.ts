// Section 8 (issue 14): the first visit on an emulated real network (bench/network.ts). A realistic
// page — 20 kB of HTML, 2 stylesheets, 3 ordered scripts, 40 JPEG/PNG images of 5–40 kB, all
// generated here — is served from a far origin (150 ms round trip) with its assets on near edges
// (30 ms), through one shared downlink at 10 and 1.6 Mbit/s. Every variant of including the loader
// (and the split: the boot inlined, the runtime async) is timed against the same page with plain URLs at the edge:
// cold (a fresh profile), warm (the page again at a new URL: its HTML anew, the HTTP cache kept, connections
// closed) and back (its own URL again: the HTML revalidated, a 304),
// healthy and with edge a refused or blackholed; interleaved, repeated, medians.
import { splitAt } from './baseline.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import { Host, Link, calibrate, netFile, type Calibration, type Fault, type NetFile } from './network.js';
import { Clock, median } from './stats.js';
import { chromiumArgs } from '../playwright.config.js';

export const RTT = { origin: 150, a: 30, b: 30 } as const;
export const SPEEDS = [10e6, 1.6e6];
const N_IMAGES = 40;
const LONG = 'public, max-age=31536000, immutable';

/** One way of writing the page. */
interface Variant {
  key: string;
  label: string;
  /** Whether the page uses data-cdn-* (else plain URLs at `plain`). */
  cdn: boolean;
  plain?: 'edge' | 'origin';
  head: (w: World) => string;
  /** Images keep plain URLs at edge a even though the page uses data-cdn-* for its styles and scripts. */
  plainImages?: boolean;
  /** Stylesheets keep plain URLs at edge a too (parser-created, so render-blocking). */
  plainStyles?: boolean;
  /** The page's three scripts keep plain URLs at edge a too (parser-blocking, run by the parser, as on the plain page). */
  plainScripts?: boolean;
  /** Part of the fault runs (pages that can fail over). */
  faults?: boolean;
  /** The stylesheets' links carry `blocking="render"`. */
  blockingStyles?: boolean;
  /** `head` goes after the stylesheets' links, not before them. */
  headLast?: boolean;
  /** Markup after the page's scripts, at the end of `<body>`. */
  tail?: (w: World) => string;
  /** Measured once and rejected (docs/first-visit.md): runs only when named in --fv-only. */
  optIn?: boolean;
  /** The boot's tag without `data-plain` even with plain images and stylesheets: its boot watches the whole parser on every visit. */
  unmarked?: boolean;
  /** The `<head>` the server writes instead of `head` when the request carries the cookie `cdn_boot` (runtime/bootCache.ts). */
  returning?: (w: World) => string;
}

interface World {
  origin: Host;
  a: Host;
  b: Host;
  manifestJson: string;
  boot: string;
  dist: string;
  /** The baseline build's boot (split-base), or '' without one. */
  baseBoot: string;
}

const jsonTag = (w: World) => `<script type="application/json" id="cdn-manifest">${w.manifestJson}</script>`;
/** A diagnostic boot: `boot` with `from` replaced; throws when the build no longer has it (the variant would measure the boot as it is). */
const swap = (boot: string, from: string | RegExp, to: string) => {
  const out = boot.replace(from, to);
  if (out === boot) throw new Error(`bench: the boot has no ${from} to replace: update the diagnostic variant`);
  return out;
};
/** The boot's tag, as the tools write it; on a page of plain image and stylesheet URLs they add `data-plain` (`page`). */
const BOOT_TAG = '<script data-manifest="#cdn-manifest">';
const MANIFEST_ATTR = ' data-manifest="#cdn-manifest"';
/** The boot's file, for returning visits (runtime/bootCache.ts): named on the inline boot's tag, and the cookie's value. */
const BOOT_SRC = '/cdn-loader-boot.js';
/** The inline manifest and the inline boot (the baseline build's with `base`), as the tools write them in <head>. */
const bootHead = (w: World, base?: boolean) => `${jsonTag(w)}\n${BOOT_TAG}${base ? w.baseBoot : w.boot}</script>`;
/** The runtime's tag. */
const RUNTIME_TAG = `<script async src="/cdn-loader-runtime.js"></script>`;
/** The minified boot's observing of the parser, and its callback's per-node scan (what the diagnostic boots replace). */
// (Any call that observes the document, `watch` included: `b.observe(i?document.head:document,{…})`.)
const OBSERVE = /\b\w+\.observe\([^)]*\bdocument\b[^)]*\)/;
// (As regular expressions: the minifier's names change from build to build. $1 the scan, $2 its node, $3 the selector.)
const SCAN = /\b(\w+)=(\w+)=>\{\2 instanceof Element&&\(\2\.matches\((\w+)\)&&(\w+)\(\2\),\2\.querySelectorAll\(\3\)\.forEach\(\4\)\)\}/;
/** A diagnostic split-watch (opt-in) whose inline boot has `from` replaced by `to` (`swap`). */
const watchWithBoot = (key: string, label: string, from: string | RegExp, to: string): Variant => ({
  key,
  optIn: true,
  // (Unmarked: on a returning visit a marked page's boot would watch <head> alone, not what the label says.)
  unmarked: true,
  label: `diagnostic: ${label} (its tag without data-plain)`,
  cdn: true,
  plainImages: true,
  plainStyles: true,
  head: (w) => `${jsonTag(w)}\n${BOOT_TAG}${swap(w.boot, from, to)}</script>`,
  tail: () => RUNTIME_TAG,
});

export const ALL_VARIANTS: Variant[] = [
  { key: 'plain-edge', label: 'plain page, URLs at edge a (the goal)', cdn: false, plain: 'edge', head: () => '' },
  {
    key: 'plain-head-script',
    optIn: true,
    label: 'diagnostic: the plain edge page with an empty inline script in <head> (what any script there costs the parser)',
    cdn: false,
    plain: 'edge',
    head: () => '<script>var x = 1</script>',
  },
  {
    key: 'plain-inert-boot',
    optIn: true,
    label: 'diagnostic: the plain edge page carrying the split\'s inline manifest and boot as inert text (type="text/plain", never run): what their bytes alone cost',
    cdn: false,
    plain: 'edge',
    head: (w) => `${jsonTag(w)}\n<script type="text/plain">${w.boot}</script>`,
  },
  { key: 'plain-origin', label: 'plain page, URLs at the origin', cdn: false, plain: 'origin', head: () => '' },
  { key: 'loader-url', label: 'cdn-loader, manifest by URL (Quick start)', cdn: true, faults: true, head: () => `<script src="/cdn-loader.js" data-manifest="/cdn-manifest.json"></script>` },
  {
    key: 'loader-preload',
    label: 'cdn-loader, manifest preloaded',
    cdn: true,
    head: () => `<link rel="preload" href="/cdn-manifest.json" as="fetch" crossorigin>\n<script src="/cdn-loader.js" data-manifest="/cdn-manifest.json"></script>`,
  },
  {
    key: 'loader-preconnect',
    label: 'cdn-loader, manifest by URL + preconnect to edges',
    cdn: true,
    head: (w) => `<link rel="preconnect" href="${w.a.url}"><link rel="preconnect" href="${w.b.url}">\n<script src="/cdn-loader.js" data-manifest="/cdn-manifest.json"></script>`,
  },
  { key: 'loader-inline', label: 'cdn-loader, inline manifest', cdn: true, faults: true, head: (w) => `${jsonTag(w)}\n<script src="/cdn-loader.js" data-manifest="#cdn-manifest"></script>` },
  { key: 'loader-whole-inline', label: 'cdn-loader inlined whole + inline manifest', cdn: true, head: (w) => `${jsonTag(w)}\n<script data-manifest="#cdn-manifest">${w.dist}</script>` },
  {
    key: 'split',
    label: 'cdn-loader split: inline boot + manifest in <head>, runtime async at the end of <body> (as the tools write it)',
    cdn: true,
    faults: true,
    head: (w) => bootHead(w),
    tail: () => RUNTIME_TAG,
  },
  {
    key: 'split-head',
    optIn: true,
    label: 'split, the runtime async in <head> after the boot (as the tools wrote it until 2026-12-01)',
    cdn: true,
    faults: true,
    head: (w) => `${bootHead(w)}\n${RUNTIME_TAG}`,
  },
  {
    key: 'split-low',
    optIn: true,
    label: 'split, runtime async fetchpriority=low',
    cdn: true,
    faults: true,
    head: (w) => `${bootHead(w)}\n<script async fetchpriority="low" src="/cdn-loader-runtime.js"></script>`,
  },
  {
    key: 'split-onload',
    optIn: true,
    label: 'split, runtime added on the load event (bound: scripts and hangs wait for it)',
    cdn: true,
    head: (w) =>
      `${bootHead(w)}\n<script>addEventListener('load', function () { var s = document.createElement('script'); s.src = '/cdn-loader-runtime.js'; document.head.appendChild(s); });</script>`,
  },
  {
    key: 'split-block',
    optIn: true,
    label: 'split, registered stylesheets blocking="render"',
    cdn: true,
    faults: true,
    blockingStyles: true,
    head: (w) => `${bootHead(w)}\n${RUNTIME_TAG}`,
  },
  {
    key: 'split-after-css',
    label: 'split, boot after the registered stylesheets, which are blocking="render"',
    cdn: true,
    faults: true,
    blockingStyles: true,
    headLast: true,
    head: (w) => `${bootHead(w)}\n${RUNTIME_TAG}`,
  },
  {
    key: 'split-base',
    optIn: true,
    label: 'split, the baseline build (--baseline, as §10; run only when asked for with --fv-only)',
    cdn: true,
    faults: true,
    head: (w) => bootHead(w, true),
    tail: () => `<script async src="/base/cdn-loader-runtime.js"></script>`,
  },
  {
    key: 'split-plain',
    label: 'cdn-loader split, plain image URLs at edge a (errors caught by the boot, recovered by the runtime)',
    cdn: true,
    plainImages: true,
    faults: true,
    head: (w) => `${bootHead(w)}\n${RUNTIME_TAG}`,
  },
  {
    key: 'split-watch',
    label: 'cdn-loader split, plain image and stylesheet URLs at edge a, watched by the runtime; runtime at the end of <body> (the tools\' plain URLs)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    faults: true,
    head: (w) => bootHead(w),
    tail: () => RUNTIME_TAG,
  },
  {
    key: 'split-watch-cookie',
    label: 'split-watch whose returning visits get the boot by `<script src>` from the HTTP cache: the server inlines it until the cookie `cdn_boot` says the runtime has cached its file',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    faults: true,
    head: (w) => bootHead(w).replace(BOOT_TAG, BOOT_TAG.replace('>', ` data-boot-src="${BOOT_SRC}">`)),
    returning: (w) => `${jsonTag(w)}\n<script src="${BOOT_SRC}"${MANIFEST_ATTR}></script>`,
    tail: () => RUNTIME_TAG,
  },
  {
    key: 'split-watch-base',
    optIn: true,
    label: 'split-watch, the baseline build (--baseline; run only when asked for with --fv-only)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    faults: true,
    head: (w) => bootHead(w, true),
    tail: () => `<script async src="/base/cdn-loader-runtime.js"></script>`,
  },
  {
    key: 'split-watch-noop',
    optIn: true,
    label: 'diagnostic: split-watch-boot-only + the runtime\'s bytes, never run (its IIFE not called): its request, bytes and compile',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => bootHead(w),
    tail: () => `<script async src="/noop-runtime.js"></script>`,
  },
  {
    key: 'split-watch-noop-nohint',
    optIn: true,
    label: 'diagnostic: split-watch-noop without the compile hint (V8 compiles its top level only)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => bootHead(w),
    tail: () => `<script async src="/noop-nohint-runtime.js"></script>`,
  },
  {
    key: 'split-watch-nohint',
    optIn: true,
    label: 'diagnostic: split-watch with its runtime served without the compile hint (V8 compiles each function at its first call, on the main thread)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    faults: true,
    head: (w) => bootHead(w),
    // (Under /nohint/, its name the runtime's: §9's link accounting and loaderStart/loaderEnd know it by its name.)
    tail: () => `<script async src="/nohint/cdn-loader-runtime.js"></script>`,
  },
  {
    key: 'split-watch-empty',
    optIn: true,
    label: 'diagnostic: split-watch-boot-only + an empty async script from the origin at the end of <body>: the request alone',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => bootHead(w),
    tail: () => `<script async src="/empty-runtime.js"></script>`,
  },
  {
    key: 'split-watch-edge',
    optIn: true,
    label: 'diagnostic: split-watch with the runtime from edge a (30 ms away) instead of the origin (150 ms)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => bootHead(w),
    tail: (w) => `<script async src="${w.a.url}/cdn-loader-runtime.js"></script>`,
  },
  {
    key: 'split-watch-empty-edge',
    optIn: true,
    label: 'diagnostic: split-watch-empty with the empty script from edge a',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => bootHead(w),
    tail: (w) => `<script async src="${w.a.url}/empty-runtime.js"></script>`,
  },
  {
    key: 'split-watch-plain-js',
    optIn: true,
    label: 'diagnostic: split-watch with its scripts as plain URLs at edge a too (the parser runs them, not the runtime)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    plainScripts: true,
    head: (w) => bootHead(w),
    tail: () => RUNTIME_TAG,
  },
  {
    key: 'split-watch-css-first',
    optIn: true,
    label: 'split-watch with its plain stylesheets before the manifest and the boot',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    faults: true,
    headLast: true,
    head: (w) => bootHead(w),
    tail: () => RUNTIME_TAG,
  },
  {
    key: 'split-watch-boot-only',
    optIn: true,
    label: 'split-watch without the runtime (what the boot alone costs; scripts never run)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => bootHead(w),
  },
  {
    key: 'boot-marks',
    optIn: true,
    label: 'diagnostic: split-watch-boot-only with performance marks b0/b1 around the boot (FV_DEBUG=1 prints them)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => `${jsonTag(w)}\n<script>performance.mark('b0')</script><script data-manifest="#cdn-manifest">${w.boot}</script><script>performance.mark('b1')</script>`,
  },
  {
    key: 'boot-storage-first',
    optIn: true,
    label: 'diagnostic: boot-marks with the first localStorage read timed before the boot (measure "ls")',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => `${jsonTag(w)}\n<script>var t0=performance.now();localStorage.getItem('cdn-loader:health');performance.measure('ls',{start:t0})</script><script>performance.mark('b0')</script><script data-manifest="#cdn-manifest">${w.boot}</script><script>performance.mark('b1')</script>`,
  },
  {
    key: 'split-watch-head',
    optIn: true,
    label: 'split-watch with the runtime async in <head> after the boot',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    faults: true,
    head: (w) => `${bootHead(w)}\n${RUNTIME_TAG}`,
  },
  {
    key: 'split-watch-after-hero',
    optIn: true,
    label: 'diagnostic: split-watch with the runtime requested by an inline script at the end of <body> once the hero has loaded (or failed), or 1 s after that script ran; an inline script waits for pending stylesheets, so on a hanging edge it never runs (healthy runs only)',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    head: (w) => bootHead(w),
    tail: () =>
      `<script>(function(){var d=0,h=document.getElementById('i0'),go=function(){if(d)return;d=1;var s=document.createElement('script');s.async=true;s.src='/cdn-loader-runtime.js';document.body.appendChild(s)};if(h.complete)go();else{h.addEventListener('load',go);h.addEventListener('error',go)}setTimeout(go,1000)})()</script>`,
  },
  {
    key: 'split-watch-after-lcp',
    optIn: true,
    label:
      'diagnostic: split-watch whose runtime is requested by an inline script in <head> (after the boot) once an image is a largest-contentful-paint candidate (a PerformanceObserver; on this page the hero, the final LCP), on the first error, or 1.2 s after the boot: on this page neither its bytes nor its work before LCP',
    cdn: true,
    plainImages: true,
    plainStyles: true,
    faults: true,
    head: (w) =>
      `${bootHead(w)}\n<script>(function(){var d=0,go=function(){if(d)return;d=1;var s=document.createElement('script');s.async=true;s.src='/cdn-loader-runtime.js';document.head.appendChild(s)};try{new PerformanceObserver(function(l){if(l.getEntries().some(function(e){return e.element&&e.element.tagName=='IMG'}))go()}).observe({type:'largest-contentful-paint',buffered:true})}catch(e){go()}addEventListener('error',go,true);setTimeout(go,1200)})()</script>`,
  },
  watchWithBoot('split-watch-no-observer', 'split-watch with a boot that never observes the parser (no MutationObserver: it sees only what is in the DOM when it runs)', OBSERVE, '0'),
  watchWithBoot(
    'split-watch-empty-observer',
    'split-watch-no-observer plus an observer of the whole document that does nothing (what observing costs, without the boot\'s callback)',
    OBSERVE,
    'new MutationObserver(function(){}).observe(document,{childList:!0,subtree:!0})',
  ),
  watchWithBoot(
    'split-watch-no-preload',
    'split-watch with a boot that leaves the script placeholders to the runtime (no preloads; its observer as it is)',
    '"[data-cdn-src],[data-cdn-srcset],img[src],link"',
    '"img[data-cdn-src],[data-cdn-srcset],img[src],link"',
  ),
  watchWithBoot('split-watch-touch-only', 'split-watch with a boot whose observer callback walks every added node and does nothing with it (what touching the records costs; the boot sees nothing the parser adds)', SCAN, '$1=$2=>{}'),
  watchWithBoot(
    'split-watch-scan-only',
    'split-watch with a boot whose observer callback matches and queries each added element but takes nothing (the scan without take)',
    SCAN,
    '$1=$2=>{$2 instanceof Element&&($2.matches($3)&&0,$2.querySelectorAll($3).forEach(function(){}))}',
  ),
  {
    key: 'plain-async-loader',
    label: 'plain URLs at edge a + cdn-loader async (recovery only)',
    cdn: false,
    plain: 'edge',
    faults: true,
    head: (w) => `${jsonTag(w)}\n<script async src="/cdn-loader.js" data-manifest="#cdn-manifest"></script>`,
  },
  {
    key: 'assets-retry',
    label: 'assets-retry (URLs at edge a, retry a → b → origin)',
    cdn: false,
    plain: 'edge',
    faults: true,
    head: (w) => `<script src="/assets-retry.js"></script>\n<script>window.assetsRetry({ domain: ${JSON.stringify([w.a, w.b, w.origin].map((h) => `127.0.0.1:${h.port}`))} });</script>`,
  },
];

// ---------------------------------------------------------------- the site's files

/** A seeded PRNG, so every run serves the same bytes. */
function prng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

/** Image sizes: 5–40 kB spread evenly, the first (the hero, the LCP element) the largest. */
const targetKb = (i: number) => (i === 0 ? 40 : 5 + ((i * 17) % 39) * (35 / 38));
const isPng = (i: number) => i % 4 === 3;
const imgName = (i: number) => `${i}.${isPng(i) ? 'png' : 'jpg'}`;
/** Displayed size: the hero is wide, the others thumbnails. */
const dims = (i: number) => (i === 0 ? [960, 400] : [200, 150]);

/** Real JPEG and PNG files, encoded by Chromium's canvas to within ~10% of their target size. */
async function makeImages(browser: Browser): Promise<Buffer[]> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const out: Buffer[] = [];
  for (let i = 0; i < N_IMAGES; i++) {
    const want = Math.round(targetKb(i) * 1000);
    const b64 = await page.evaluate(
      async ({ i, want, png, w, h }) => {
        let seed = i + 1;
        const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        const draw = (c: HTMLCanvasElement, detail: number) => {
          const g = c.getContext('2d')!;
          if (png) {
            g.fillStyle = `hsl(${(i * 37) % 360},50%,85%)`;
            g.fillRect(0, 0, c.width, c.height);
          } else {
          const grad = g.createLinearGradient(0, 0, c.width, c.height);
          grad.addColorStop(0, `hsl(${(i * 37) % 360},60%,60%)`);
          grad.addColorStop(1, `hsl(${(i * 37 + 120) % 360},60%,30%)`);
          g.fillStyle = grad;
          g.fillRect(0, 0, c.width, c.height);
          }
          for (let k = 0; k < detail; k++) {
            g.fillStyle = `hsla(${Math.floor(rnd() * 360)},70%,${Math.floor(30 + rnd() * 50)}%,0.6)`;
            g.beginPath();
            g.arc(rnd() * c.width, rnd() * c.height, 2 + rnd() * 30, 0, 7);
            g.fill();
          }
        };
        const encode = (c: HTMLCanvasElement, q: number) =>
          new Promise<Blob>((r) => c.toBlob((b) => r(b!), png ? 'image/png' : 'image/jpeg', q));
        const c = document.createElement('canvas');
        let best: Blob | undefined;
        if (png) {
          // PNG: more shapes, more bytes.
          let lo = 1;
          let hi = 3000;
          for (let k = 0; k < 12; k++) {
            const mid = Math.round((lo + hi) / 2);
            c.width = w;
            c.height = h;
            seed = i + 1;
            draw(c, mid);
            const b = await encode(c, 1);
            if (!best || Math.abs(b.size - want) < Math.abs(best.size - want)) best = b;
            if (b.size < want) lo = mid;
            else hi = mid;
          }
        } else {
          c.width = w * 2;
          c.height = h * 2;
          draw(c, 600);
          let lo = 0.05;
          let hi = 0.98;
          for (let k = 0; k < 12; k++) {
            const q = (lo + hi) / 2;
            const b = await encode(c, q);
            if (!best || Math.abs(b.size - want) < Math.abs(best.size - want)) best = b;
            if (b.size < want) lo = q;
            else hi = q;
          }
        }
        const bytes = new Uint8Array(await best!.arrayBuffer());
        let s = '';
        for (const x of bytes) s += String.fromCharCode(x);
        return btoa(s);
      },
      { i, want, png: isPng(i), w: dims(i)[0], h: dims(i)[1] },
    );
    out.push(Buffer.from(b64, 'base64'));
  }
  await ctx.close();
  return out;
}

const WORDS = 'the of and to in is for on with as by at from edge origin cache page image script style loader manifest network request latency bandwidth browser parser round trip window'.split(' ');

/** Prose that gzips like prose (about 3:1), `n` bytes of it. */
function prose(n: number, rnd: () => number): string {
  let s = '';
  while (s.length < n) {
    let p = '<p>';
    for (let k = 0; k < 60; k++) p += WORDS[Math.floor(rnd() * WORDS.length)] + (rnd() < 0.1 ? ', ' : ' ') + (rnd() < 0.05 ? Math.floor(rnd() * 1e5) + ' ' : '');
    s += p.trim() + '.</p>\n';
  }
  return s;
}

function css(n: number, seed: number): string {
  const rnd = prng(seed);
  let s = '';
  for (let k = 0; s.length < n; k++)
    s += `.c${seed}-${k} { margin: ${Math.floor(rnd() * 20)}px ${Math.floor(rnd() * 20)}px; color: #${Math.floor(rnd() * 0xffffff).toString(16).padStart(6, '0')}; font-size: ${(1 + rnd()).toFixed(2)}rem; }\n`;
  return s + (seed === 1 ? 'body { font-family: sans-serif; max-width: 1000px; margin: 0 auto; } img.b { display: inline-block; margin: 4px; }\n' : '');
}

function js(i: number, n: number): string {
  const rnd = prng(100 + i);
  const data: string[] = [];
  let len = 0;
  while (len < n) {
    const x = `{ id: ${Math.floor(rnd() * 1e6)}, name: "${WORDS[Math.floor(rnd() * WORDS.length)]}-${Math.floor(rnd() * 1e4)}", v: ${rnd().toFixed(4)} }`;
    data.push(x);
    len += x.length + 2;
  }
  return `(function () {\n  var table = [\n    ${data.join(',\n    ')}\n  ];\n  var sum = 0;\n  for (var k = 0; k < table.length; k++) sum += table[k].v;\n  (window.__order = window.__order || []).push(${i});\n  (window.__ranAt = window.__ranAt || []).push(performance.now());\n  window['__sum${i}'] = sum;\n})();\n`;
}

/**
 * Before the next page, every variant waits alike once the page has loaded: a variant with a returning form (up to
 * 10 s) until its runtime has cached the boot's file and set the cookie `cdn_boot` (runtime/bootCache.ts: an idle
 * callback, then a fetch from the origin); any other for an idle callback and then a fetch from the origin too, so
 * that no variant has more time than another before its next visit. Whether the cookie came, where one should.
 */
const settle = (p: Page, v: Variant) =>
  v.returning
    ? p.waitForFunction(() => document.cookie.includes('cdn_boot='), undefined, { timeout: 10000 }).then(
        () => true,
        () => false,
      )
    : Promise.race([
        p.evaluate(() => new Promise((r) => (window.requestIdleCallback || setTimeout)(() => fetch('/cdn-probe.gif', { cache: 'no-store' }).then(r, r), { timeout: 1000 } as never))),
        new Promise((r) => setTimeout(r, 10000)),
      ]).then(
        () => true,
        () => true,
      );

function page(v: Variant, w: World, imgDir: string): string {
  const rnd = prng(7);
  const at = (path: string) => (v.cdn ? path : v.plain === 'edge' ? w.a.url + path : path);
  const attr = (a: string) => (v.cdn ? `data-cdn-${a}` : a);
  const imgs = Array.from({ length: N_IMAGES }, (_, i) => {
    const [wd, ht] = dims(i);
    const path = `/${imgDir}/${imgName(i)}`;
    // FV_HERO_HIGH: the hero marked as web.dev advises for an LCP image, on every variant alike.
    const hi = i === 0 && process.env.FV_HERO_HIGH ? 'fetchpriority="high" ' : '';
    return `<img class="b" id="i${i}" ${hi}${v.plainImages ? `src="${w.a.url}${path}"` : `${attr('src')}="${at(path)}"`} width="${wd}" height="${ht}" alt="picture ${i}">`;
  });
  const body: string[] = ['<h1>A realistic page</h1>', imgs[0], prose(2000, rnd)];
  for (let k = 1; k < N_IMAGES; k += 6) body.push(imgs.slice(k, k + 6).join('\n'), prose(2500, rnd));
  const blocking = v.blockingStyles ? ' blocking="render"' : '';
  const styles = [1, 2].map((i) => `<link rel="stylesheet"${blocking} ${v.plainStyles ? `href="${w.a.url}/css/${i}.css"` : `${attr('href')}="${at(`/css/${i}.css`)}"`}>`);
  // A page whose images and stylesheets are all plain URLs: the boot's tag says so, as the tools write it (cli/rewrite.ts).
  const own = v.plainImages && v.plainStyles && !v.unmarked ? v.head(w).replace(MANIFEST_ATTR, MANIFEST_ATTR + ' data-plain') : v.head(w);
  const head = (v.headLast ? [...styles, own] : [own, ...styles]).join('\n');
  const scripts = [1, 2, 3].map((i) => (v.plainScripts ? `<script src="${w.a.url}/js/${i}.js"></script>` : `<script ${attr('src')}="${at(`/js/${i}.js`)}"></script>`)).join('\n');
  return `<!doctype html><html lang="en" data-expect="${N_IMAGES}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>first visit</title>\n${head}\n</head><body>\n${body.join('\n')}\n${scripts}\n${v.tail ? v.tail(w) + '\n' : ''}</body></html>\n`;
}

// ---------------------------------------------------------------- measuring a page

/** What one page load reports about itself; times in ms from navigation start. */
export interface Sample {
  /** Every image shown (loaded with pixels), or null at the cut-off. */
  all: number | null;
  lcp: number | null;
  htmlEnd: number;
  /** The loader's (or runtime's, or assets-retry's) own fetch. */
  loaderStart: number | null;
  loaderEnd: number | null;
  manifestEnd: number | null;
  firstAsset: number | null;
  /** The hero image (the LCP element): its request's start and end. */
  heroStart: number | null;
  heroEnd: number | null;
  /** Bytes on the wire before the first image request could start: the HTML, and every resource that ended before it. */
  criticalBytes: number | null;
  /** First contentful paint. */
  fcp: number | null;
  /** What the last LCP entry painted: the element's id, else its tag or URL. */
  lcpWhat: string | null;
  /** Performance marks and measures of the page (the boot-marks variants), "name:start+duration". */
  marks?: string;
  /** Cumulative layout shift until the last image (a page painted before its styles shifts when they apply). */
  cls: number;
  /** The stylesheets: when each ended, when its `load` event fired, and Chromium's `renderBlockingStatus`. */
  css: { end: number; load: number | null; blocking: string }[];
  /** When the page's last script ran (the three scripts at the end of the body). */
  scriptsRan: number | null;
  /** When the boot set the URLs of the first stylesheet and of the hero (the split's variants). */
  bootSet: number[];
  /** Layout shifts: time, value, what moved. */
  shifts: string[];
  /** The link, from the page's first byte to its last image: ms busy per kind of content, ms idle; bytes before the hero's end per kind. */
  link?: LinkUse;
  /** Which host served each image, counted. */
  sources: Record<string, number>;
  /** Script execution order, as the scripts saw it. */
  order: number[];
  /** Bytes of the HTML on the wire (a revalidated page: headers only). */
  htmlBytes: number;
  /** Resources that went to the network (not the HTTP cache), and their bytes on the wire. */
  fetched: number;
  wireBytes: number;
  loaded: number;
}

function recorder(): void {
  const r = { all: 0, lcp: 0, lcpWhat: '', css: {} as Record<string, number>, cls: 0, shifts: [] as string[], moves: [] as number[], ev: [] as string[] };
  (window as unknown as { __fv: typeof r }).__fv = r;
  // When each resource moved, and the loader's other events (fault runs: where a hang's time goes).
  document.addEventListener('cdn:fallback', () => r.moves.push(performance.now()));
  for (const t of ['cdn:ready', 'cdn:probe', 'cdn:edge'])
    document.addEventListener(t, (e) => {
      const d = (e as CustomEvent).detail as { id?: string; state?: string; ok?: boolean; ms?: number };
      r.ev.push(`${t.slice(4)}${d.id ? ' ' + d.id : ''}${d.state ? ' ' + d.state : ''}${d.ok === undefined ? '' : d.ok ? ' ok ' + Math.round(d.ms!) : ' failed'} at ${Math.round(performance.now())}`);
    });
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries() as (PerformanceEntry & { element?: Element; url?: string })[]) {
        r.lcp = e.startTime;
        r.lcpWhat = e.element?.id || e.url?.replace(/^https?:\/\/[^/]+/, '') || e.element?.tagName || '?';
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries() as (PerformanceEntry & { value: number; sources?: { node?: Node }[] })[]) {
        r.cls += e.value;
        r.shifts.push(`${Math.round(e.startTime)} ms ${e.value.toFixed(3)} ${(e.sources ?? []).map((x) => (x.node as Element | undefined)?.id || x.node?.nodeName).join('+')}`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  } catch {
    // No LCP: reported as null.
  }
  const check = () => {
    const want = Number(document.documentElement.dataset.expect || 0);
    let n = 0;
    for (const i of Array.from(document.querySelectorAll<HTMLImageElement>('img.b'))) if (i.complete && i.naturalWidth > 0) n++;
    if (want && n >= want && !r.all) {
      r.all = performance.now();
      // Then the hero's LCP entry (on a returning visit it comes 70–110 ms after the last image: wait for it,
      // at most 500 ms), and tell the bench by a console message (a CDP event: polling from the bench would
      // inject Playwright's script mid-load).
      const done = () => (r.lcpWhat === 'i0' || performance.now() - r.all > 500 ? console.debug('__fv_done ' + location.href) : setTimeout(done, 20));
      requestAnimationFrame(() => setTimeout(done, 20));
    }
  };
  document.addEventListener(
    'load',
    (e) => {
      if (e.target instanceof HTMLImageElement) check();
      // When each stylesheet applied (its load event follows its parse).
      else if (e.target instanceof HTMLLinkElement && /stylesheet/.test(e.target.rel)) r.css[e.target.href.replace(/^https?:\/\/[^/]+/, '')] = performance.now();
    },
    true,
  );
}

/** Where the link's time went in one page load (from the trace of bench/network.ts). */
export interface LinkUse {
  /** ms the link was idle between the page's first byte and its last image. */
  idle: number;
  /** Of which before the first byte of an image. */
  idleBeforeImages: number;
  /** ms the link carried each kind of content over that time: html, css, js, img, loader (the loader, runtime or assets-retry), other. */
  busy: Record<string, number>;
  /** Bytes of each kind that arrived before the hero image's last byte. */
  beforeHero: Record<string, number>;
}

const kind = (what: string) =>
  /\/v\//.test(what) ? 'html' : /\/css\//.test(what) ? 'css' : /\/js\//.test(what) ? 'js' : /\/img2?\//.test(what) ? 'img' : /(cdn-loader|assets-retry)/.test(what) ? 'loader' : 'other';

/**
 * The link's time from the HTML's first byte to the last image, by kind, in the page's clock: the first
 * segment of the HTML is its `responseStart` (loopback adds nothing between the two).
 */
function linkUse(link: Link, responseStart: number, all: number | null, heroEnd: number | null): LinkUse | undefined {
  const trace = link.trace;
  const segmentMs = (bytes: number) => (bytes * 8000) / link.bitsPerSecond;
  const html = trace.find((x) => /\/v\//.test(x.what));
  if (!html || all === null) return;
  const shift = html.at - responseStart;
  const end = all + shift;
  const busy: Record<string, number> = {};
  const beforeHero: Record<string, number> = {};
  let used = 0;
  let idleBeforeImages = 0;
  const from = html.at - segmentMs(html.bytes);
  for (const x of trace) {
    if (x.at > end) break;
    const k = kind(x.what);
    const ms = segmentMs(x.bytes);
    if (k === 'img' && !busy.img) idleBeforeImages = Math.round(x.at - ms - from - used);
    busy[k] = Math.round(((busy[k] ?? 0) + ms) * 10) / 10;
    used += ms;
    if (heroEnd !== null && x.at <= heroEnd + shift) beforeHero[k] = (beforeHero[k] ?? 0) + x.bytes;
  }
  return { idle: Math.round(end - from - used), idleBeforeImages, busy, beforeHero };
}

/** FV_TRACE: the categories of a visit's Chromium trace (main-thread tasks, V8 compiles, paints, LCP). */
const TRACED = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'disabled-by-default-v8.compile', 'blink', 'loading', 'blink.user_timing'];

/** Loads `url` and reads what the page saw; with `link`, also where the link's time went (a page loaded after link.reset()). */
async function measure(page: Page, url: string, cutoff: number, hosts: Host[], link?: Link): Promise<Sample> {
  // (Its URL: a page at its cut-off, done just after, is not taken for the next.)
  const done = page.waitForEvent('console', { predicate: (m) => m.text() === '__fv_done ' + url, timeout: cutoff }).catch(() => undefined); // undefined: the cut-off
  await page.goto(url, { waitUntil: 'commit', timeout: cutoff });
  await done;
  const r = await page.evaluate(() => {
    const fv = (window as unknown as { __fv: { all: number; lcp: number; lcpWhat: string; css: Record<string, number>; cls: number; shifts: string[] } }).__fv;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const imgs = res.filter((e) => /\/img2?\//.test(e.name));
    const first = imgs.length ? Math.min(...imgs.map((e) => e.startTime)) : null;
    const loader = res.find((e) => /\/(cdn-loader|cdn-loader-runtime|assets-retry)\.js$/.test(e.name));
    const manifest = res.find((e) => /cdn-manifest\.json/.test(e.name));
    const hero = imgs.find((e) => /\/0\.jpg$/.test(e.name));
    const before = first === null ? [] : res.filter((e) => e.responseEnd <= first && !/\/img2?\//.test(e.name));
    return {
      all: fv.all || null,
      lcp: fv.lcp || null,
      htmlEnd: nav.responseEnd,
      loaderStart: loader?.startTime ?? null,
      loaderEnd: loader?.responseEnd ?? null,
      manifestEnd: manifest?.responseEnd ?? null,
      firstAsset: first,
      heroStart: hero?.startTime ?? null,
      heroEnd: hero?.responseEnd ?? null,
      criticalBytes: first === null ? null : nav.transferSize + before.reduce((s, e) => s + e.transferSize, 0),
      urls: Array.from(document.querySelectorAll<HTMLImageElement>('img.b')).map((i) => (i.complete && i.naturalWidth > 0 ? i.currentSrc : '')),
      order: (window as unknown as { __order?: number[] }).__order ?? [],
      htmlBytes: nav.transferSize,
      fetched: res.filter((e) => e.transferSize > 0).length,
      wireBytes: nav.transferSize + res.reduce((n, e) => n + e.transferSize, 0),
      net: res.filter((e) => e.transferSize > 0).map((e) => e.name.replace(/^https?:\/\/[^/]+/, '') + ' ' + e.transferSize),
      responseStart: nav.responseStart,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      lcpWhat: fv.lcpWhat || null,
      cls: fv.cls,
      marks: [...performance.getEntriesByType('mark'), ...performance.getEntriesByType('measure')].map((e) => e.name + ':' + Math.round(e.startTime) + '+' + e.duration.toFixed(1)).join(' '),
      css: res
        .filter((e) => /\/css\//.test(e.name))
        .map((e) => ({ start: Math.round(e.startTime), req: Math.round(e.requestStart), end: e.responseEnd, load: fv.css[e.name.replace(/^https?:\/\/[^/]+/, '')] ?? null, blocking: (e as PerformanceResourceTiming & { renderBlockingStatus?: string }).renderBlockingStatus ?? '?' })),
      ranAt: (window as unknown as { __ranAt?: number[] }).__ranAt ?? [],
      // When the boot set the first stylesheet's and the hero's URLs (its MutationObserver's callbacks).
      bootSet: ((window as unknown as { CDNBoot?: { records: { el: Element; t: number }[] } }).CDNBoot?.records ?? [])
        .filter((x) => x.el.id === 'i0' || x.el instanceof HTMLLinkElement)
        .slice(0, 2)
        .map((x) => Math.round(x.t)),
      shifts: fv.shifts,
      moves: (fv as unknown as { moves: number[] }).moves,
      ev: (fv as unknown as { ev: string[] }).ev,
      imgTimes: imgs.map((e) => [e.name.split('/')[2], e.startTime, e.responseEnd]),
    };
  });
  const sources: Record<string, number> = {};
  for (const u of r.urls) {
    const h = hosts.find((x) => u.startsWith(x.url + '/'));
    const k = u ? h?.name ?? u : 'not loaded';
    sources[k] = (sources[k] ?? 0) + 1;
  }
  const round = (x: number | null) => (x === null ? null : Math.round(x));
  return {
    all: r.all !== null && r.all <= cutoff ? Math.round(r.all) : null,
    lcp: round(r.lcp),
    htmlEnd: Math.round(r.htmlEnd),
    loaderStart: round(r.loaderStart),
    loaderEnd: round(r.loaderEnd),
    manifestEnd: round(r.manifestEnd),
    firstAsset: round(r.firstAsset),
    heroStart: round(r.heroStart),
    heroEnd: round(r.heroEnd),
    criticalBytes: r.criticalBytes,
    fcp: round(r.fcp),
    lcpWhat: r.lcpWhat,
    marks: r.marks || undefined,
    cls: Math.round(r.cls * 1000) / 1000,
    css: r.css.map((c) => ({ end: Math.round(c.end), load: round(c.load), blocking: c.blocking })),
    scriptsRan: r.ranAt.length === 3 ? Math.round(Math.max(...r.ranAt)) : null,
    bootSet: r.bootSet,
    shifts: r.shifts,
    ...(link ? { link: linkUse(link, r.responseStart, r.all, r.heroEnd) } : {}),
    sources,
    order: r.order,
    htmlBytes: r.htmlBytes,
    fetched: r.fetched,
    wireBytes: r.wireBytes,
    ...(process.env.FV_DEBUG ? { net: r.net, moves: r.moves, imgTimes: r.imgTimes, ev: r.ev } : {}),
    loaded: r.urls.filter(Boolean).length,
  };
}

/** FV_DEBUG: where a faulted page's time went (runtime arrival, moves, each host's image requests). */
function timeline(s: Sample, hosts: Host[]): string {
  const d = s as unknown as { moves: number[]; imgTimes: [string, number, number][]; ev: string[] };
  const r = (x: number) => Math.round(x);
  const per = hosts.map((h) => {
    const t = d.imgTimes.filter(([host]) => h.url.endsWith(host));
    return t.length ? `${h.name}: ${t.length} entries, start ${r(Math.min(...t.map((x) => x[1])))}–${r(Math.max(...t.map((x) => x[1])))}, end ${r(Math.max(...t.map((x) => x[2])))}` : '';
  });
  return [`html end ${s.htmlEnd}`, `runtime ${s.loaderStart}–${s.loaderEnd}`, `first image ${s.firstAsset}`, `${d.moves.length} moves ${d.moves.length ? r(Math.min(...d.moves)) + '–' + r(Math.max(...d.moves)) : ''}`, ...per.filter(Boolean), ...d.ev, `all ${s.all}`].join('; ');
}

// ---------------------------------------------------------------- the runs

export interface FirstVisitSeries {
  /** e.g. "healthy/10/loader-url/cold", "blackhole/10/split/next". */
  key: string;
  variant: string;
  fault: Fault | 'healthy';
  mbps: number;
  /** cold: a fresh profile; warm: the page again at a new URL (its HTML fetched anew, every file cached); back: the same URL again (HTML revalidated: 304); next: another page of the site. */
  visit: 'cold' | 'warm' | 'back' | 'next';
  n: number;
  /** Medians of each field of Sample over the runs. */
  median: Record<'all' | 'lcp' | 'htmlEnd' | 'loaderStart' | 'loaderEnd' | 'manifestEnd' | 'firstAsset' | 'heroStart' | 'heroEnd' | 'criticalBytes', number | null>;
  /** Spread of `all`: min and max over the runs. */
  allMin: number | null;
  allMax: number | null;
  samples: Sample[];
}

export interface FirstVisitResult {
  settings: { rttMs: typeof RTT; mbps: number[]; images: number; repeats: number; faultRepeats: number; cutoffMs: number; pinned?: boolean; returning?: number; traced?: boolean; profiled?: boolean };
  /**
   * When this section ran, and the Chromium and switches it ran with (absent in results older than run Q of
   * 2026-12-02, whose cold visits had Chromium's address-bar WebUI beside them: e2e/engines.ts): with `--only 9`
   * bench/results.json keeps the other sections' date and environment, which are not this section's.
   */
  ran?: { date: string; chromium: string; args: string[] };
  /** Bytes of the page's files (raw / gzip). */
  files: Record<string, { bytes: number; gzip: number }>;
  /** The boot (dist/cdn-loader-boot.js), minified and gzipped: the bytes it adds to every page when inlined. */
  bootBytes: { minified: number; gzip: number };
  calibration: Calibration[];
  series: FirstVisitSeries[];
  /** Ratios of medians to the plain edge page in the same run (healthy). */
  ratios: {
    variant: string;
    mbps: number;
    cold: number | null;
    warm: number | null;
    /** The same for the return to the same URL (HTML 304): what the loader costs a returning visitor when the page has not changed. */
    back: number | null;
    lcpDeltaMs: number | null;
    /** Warm visits whose images came mostly from another edge than the cold visit's (their HTTP cache unused), of `warmRuns`. */
    warmSwitched: number;
    warmRuns: number;
    /** Median over repetitions of this repetition's ratio (runs of one repetition are minutes apart at most, so they share the machine's load). */
    coldPaired: number | null;
    /** Medians of the paired ratios of returning visits, warm and back (each against the plain edge page's visit of the same repetition and order). */
    warmPaired?: number | null;
    backPaired?: number | null;
    lcpDeltaPairedMs: number | null;
  }[];
}

export interface FirstVisitOptions {
  repeats: number;
  faultRepeats: number;
  cutoff: number;
  /** Only these variants (keys), for development. */
  variants?: string[];
  /** ms this section may take; later repetitions are dropped rather than overrun it. */
  budget: number;
  /** The git revision whose split build the variants split-base and split-watch-base run (bench.ts --baseline; default the merge base with main). */
  baseline?: string;
  /** Run with --pin: the emulated link and Chromium on cores of their own (bench/pin.ts). */
  pinned?: boolean;
  /** Warm and back visits after each cold one (--fv-returning K, default 1): more returning samples for the time of one cold visit. */
  returning: number;
}

export async function firstVisit(browser: Browser, clock: Clock, o: FirstVisitOptions): Promise<FirstVisitResult> {
  // A revision's boot and runtime, for split-base and split-watch-base: a change and its baseline, interleaved in one run.
  const based = (k: string) => k.endsWith('-base');
  const base = o.variants?.some(based) ? splitAt(o.baseline) : null;
  if (o.variants?.some(based) && !base) clock.log('first visit: no baseline build found (git): the -base variants left out');
  const VARIANTS = ALL_VARIANTS.filter((v) => (based(v.key) && !base ? false : o.variants ? v.key === 'plain-edge' || o.variants.includes(v.key) : !v.optIn));
  // FV_TRACE=dir: a Chromium trace of each healthy cold and warm visit, saved there (the samples are then taken
  // under tracing: settings.traced says so).
  const trace = process.env.FV_TRACE;
  if (trace) mkdirSync(trace, { recursive: true });
  // FV_PROFILE=dir: a V8 CPU profile (100 µs samples) of each healthy cold and warm visit, saved there (the
  // samples are then taken under it: settings.profiled says so). One or the other, not both.
  const profile = process.env.FV_PROFILE;
  if (profile && trace) throw new Error('bench: FV_PROFILE and FV_TRACE together: set one of them');
  if (profile) mkdirSync(profile, { recursive: true });
  const traced = async <T>(p: Page, name: string, visit: () => Promise<T>): Promise<T> => {
    if (profile) {
      const cdp = await p.context().newCDPSession(p);
      try {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
        const r = await visit();
        const { profile: cpu } = await cdp.send('Profiler.stop');
        writeFileSync(`${profile}/${name}.cpuprofile`, JSON.stringify(cpu));
        return r;
      } finally {
        await cdp.detach().catch(() => undefined);
      }
    }
    if (!trace) return visit();
    await browser.startTracing(p, { categories: TRACED });
    try {
      return await visit();
    } finally {
      writeFileSync(`${trace}/${name}.json`, await browser.stopTracing());
    }
  };
  const sectionStart = clock.elapsed();
  const fits = (ms: number) => clock.elapsed() - sectionStart + ms <= o.budget;
  const files = new Map<string, NetFile>();
  const link = new Link(SPEEDS[0]);
  const origin = new Host('origin', RTT.origin, link, files);
  const a = new Host('a', RTT.a, link, files);
  const b = new Host('b', RTT.b, link, files);
  const hosts = [origin, a, b];
  for (const h of hosts) await h.start();
  try {
    // Encoded once, then kept in .cache/ (the same seed gives the same pictures).
    const cache = '.cache/first-visit-images';
    let images: Buffer[];
    if (Array.from({ length: N_IMAGES }, (_, i) => existsSync(`${cache}/${imgName(i)}`)).every(Boolean)) images = Array.from({ length: N_IMAGES }, (_, i) => readFileSync(`${cache}/${imgName(i)}`));
    else {
      clock.log('first visit: encoding the page images in Chromium');
      images = await makeImages(browser);
      mkdirSync(cache, { recursive: true });
      images.forEach((b, i) => writeFileSync(`${cache}/${imgName(i)}`, b));
    }
    for (const [i, img] of images.entries())
      for (const dir of ['img', 'img2']) files.set(`/${dir}/${imgName(i)}`, netFile(img, isPng(i) ? 'image/png' : 'image/jpeg', LONG));
    files.set('/css/1.css', netFile(css(12000, 1), 'text/css', LONG));
    files.set('/css/2.css', netFile(css(8000, 2), 'text/css', LONG));
    for (const i of [1, 2, 3]) files.set(`/js/${i}.js`, netFile(js(i, [30000, 15000, 8000][i - 1]), 'application/javascript', LONG));
    files.set('/cdn-probe.gif', netFile(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'), 'image/gif', 'no-store'));
    const dist = readFileSync('dist/cdn-loader.js', 'utf8');
    // Script files are cached for an hour, as a versionless loader URL would be; HTML and the manifest revalidate.
    files.set('/cdn-loader.js', netFile(dist, 'application/javascript', 'public, max-age=3600'));
    files.set('/assets-retry.js', netFile(readFileSync('node_modules/assets-retry/dist/assets-retry.umd.js'), 'application/javascript', 'public, max-age=3600'));
    // The boot is inlined as built, without its source map comment.
    const boot = readFileSync('dist/cdn-loader-boot.js', 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '').trim();
    files.set(BOOT_SRC, netFile(boot, 'application/javascript', 'public, max-age=3600'));
    files.set('/cdn-loader-runtime.js', netFile(readFileSync('dist/cdn-loader-runtime.js', 'utf8'), 'application/javascript', 'public, max-age=3600'));
    // split-watch-noop: the same bytes, its IIFE never called.
    const noop = readFileSync('dist/cdn-loader-runtime.js', 'utf8').replace(/\}\)\(\);(\n\/\/# sourceMappingURL=.*)?\n?$/, '});\n');
    files.set('/noop-runtime.js', netFile(noop, 'application/javascript', 'public, max-age=3600'));
    files.set('/noop-nohint-runtime.js', netFile(noop.replace(/^\/\/# allFunctionsCalledOnLoad\n/, ''), 'application/javascript', 'public, max-age=3600'));
    const runtime = readFileSync('dist/cdn-loader-runtime.js', 'utf8');
    if (!runtime.startsWith('//# allFunctionsCalledOnLoad\n')) throw new Error('bench: the runtime has no compile hint line: update split-watch-nohint');
    files.set('/nohint/cdn-loader-runtime.js', netFile(runtime.replace(/^\/\/# allFunctionsCalledOnLoad\n/, ''), 'application/javascript', 'public, max-age=3600'));
    files.set('/empty-runtime.js', netFile('/* empty */\n', 'application/javascript', 'public, max-age=3600'));
    if (base) files.set('/base/cdn-loader-runtime.js', netFile(base.runtime, 'application/javascript', 'public, max-age=3600'));
    const baseBoot = base ? base.boot.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '').trim() : '';
    const manifest = { origin: origin.url, edges: [{ id: 'a', url: a.url }, { id: 'b', url: b.url }], assets: ['/img/', '/img2/', '/css/', '/js/'] };
    const manifestJson = JSON.stringify(manifest);
    files.set('/cdn-manifest.json', netFile(manifestJson, 'application/json', 'no-cache'));
    const world: World = { origin, a, b, manifestJson, boot, dist, baseBoot };
    const urls = new Map<string, { cold: string; next: string }>();
    for (const v of VARIANTS) {
      files.set(`/v/${v.key}.html`, netFile(page(v, world, 'img'), 'text/html; charset=utf-8', 'no-cache'));
      files.set(`/v/${v.key}-2.html`, netFile(page(v, world, 'img2'), 'text/html; charset=utf-8', 'no-cache'));
      if (v.returning)
        for (const n of ['', '-2'])
          files.set(`/v/${v.key}${n}.html#cdn_boot=${encodeURIComponent(BOOT_SRC)}`, netFile(page({ ...v, head: v.returning }, world, n ? 'img2' : 'img'), 'text/html; charset=utf-8', 'no-cache'));
      urls.set(v.key, { cold: `${origin.url}/v/${v.key}.html`, next: `${origin.url}/v/${v.key}-2.html` });
    }
    const sizeOf: FirstVisitResult['files'] = {};
    for (const [p, f] of files) if (!p.startsWith('/img2/') && !p.includes('-2.html')) sizeOf[p] = { bytes: f.body.length, gzip: (f.gzip ?? f.body).length };
    const bootBytes = { minified: Buffer.byteLength(boot), gzip: gzipSync(boot, { level: 9 }).length };
    const imgBytes = images.map((x) => x.length);
    clock.log(
      `first visit: images ${Math.min(...imgBytes)}–${Math.max(...imgBytes)} B (total ${imgBytes.reduce((s, x) => s + x, 0)} B); HTML ${sizeOf['/v/plain-edge.html'].bytes} B; boot ${bootBytes.gzip} B gzip`,
    );

    // Is the emulation faithful? Node's own client against the model, at both speeds.
    const calibration: Calibration[] = [];
    for (const bps of SPEEDS) {
      link.bitsPerSecond = bps;
      for (const h of [origin, a]) calibration.push(await calibrate(h, link, '/img/0.jpg', files.get('/img/0.jpg')!.body.length));
    }
    for (const c of calibration)
      clock.log(
        `calibration ${c.bitsPerSecond / 1e6} Mbit/s, rtt ${c.rtt} ms: first byte new ${c.firstByteNewMs} ms (model ${2 * c.rtt}), reused ${c.firstByteReusedMs} ms (model ${c.rtt}); ${c.bytes} B in ${c.downloadMs} ms (model ≥ ${c.expectedDownloadMs})`,
      );

    const runs = new Map<string, Sample[]>();
    const add = (k: string, s: Sample) => runs.set(k, [...(runs.get(k) ?? []), s]);
    const reset = async () => {
      for (const h of hosts) await h.set('none');
      for (const h of hosts) h.drop();
      link.reset();
    };
    /** The host that served most images. */
    const top = (s: Sample) => Object.entries(s.sources).sort((x, y) => y[1] - x[1])[0]?.[0];
    const switched = (cold: Sample, warm: Sample) => top(cold) !== top(warm);
    const show = (s: Sample) => (s.all === null ? `cut off (${s.loaded}/${N_IMAGES})` : `${s.all} ms`);

    // Healthy: every variant at both speeds, cold, warm and back in one profile; the order of the
    // variants rotates from one repetition to the next, so none always runs right after another.
    let done = 0;
    for (let rep = 0; rep < o.repeats; rep++) {
      if (rep > 0 && !fits(((clock.elapsed() - sectionStart) / done) * SPEEDS.length * VARIANTS.length * 1.1 + 60000)) {
        clock.log(`first visit: time budget: healthy runs stop after ${rep} repetitions`);
        break;
      }
      for (const bps of SPEEDS)
        for (let k = 0; k < VARIANTS.length; k++) {
          const v = VARIANTS[(k + rep) % VARIANTS.length];
          link.bitsPerSecond = bps;
          await reset();
          const ctx = await browser.newContext();
          await ctx.addInitScript(recorder);
          try {
            const p = await ctx.newPage();
            const cold = await traced(p, `${v.key}-${bps / 1e6}-${rep}`, () => measure(p, urls.get(v.key)!.cold, o.cutoff, hosts, link));
            // The user leaves once the page has loaded and comes back later: a new navigation (not a
            // reload, which Chromium turns a same-URL navigation into), on new connections.
            await p.waitForLoadState('load', { timeout: 5000 }).catch(() => undefined);
            if (!(await settle(p, v))) clock.log(`first visit ${v.key}: the runtime set no cdn_boot cookie within 10 s: its returning visits got the inline boot`);
            if (process.env.FV_DEBUG) clock.log('health after the cold visit:', await p.evaluate(() => localStorage.getItem('cdn-loader:health')));
            add(`healthy/${bps / 1e6}/${v.key}/cold`, cold);
            // Returning visits, o.returning of each (--fv-returning K): each warm one at a URL of its own.
            let warm = cold;
            let back = cold;
            for (let again = 0; again < o.returning; again++) {
              const url = urls.get(v.key)!.cold + '?again' + (again || '');
              // The page is left before its connections are dropped: a connection reset under one of its pings is a
              // failed ping, and marks that edge down for the next page (the servers of a real site do not reset
              // connections with a request in flight; with 6 returning visits, 10 of 12 series moved to the origin).
              await p.goto('about:blank');
              for (const h of hosts) h.drop();
              link.reset();
              warm = await traced(p, `${v.key}-${bps / 1e6}-${rep}-warm${again || ''}`, () => measure(p, url, o.cutoff, hosts));
              // And comes back to that page: the HTML (no-cache) is revalidated, a 304, so the inline boot costs no
              // bytes, only its time. Through about:blank, since a navigation to the page's own URL is a reload.
              await p.waitForLoadState('load', { timeout: 5000 }).catch(() => undefined);
              await p.goto('about:blank');
              for (const h of hosts) h.drop();
              link.reset();
              back = await measure(p, url, o.cutoff, hosts);
              if (process.env.FV_DEBUG) clock.log(`health after returning visit ${again}:`, await p.evaluate(() => localStorage.getItem('cdn-loader:health')), JSON.stringify(warm.sources), JSON.stringify(back.sources));
              add(`healthy/${bps / 1e6}/${v.key}/warm`, warm);
              add(`healthy/${bps / 1e6}/${v.key}/back`, back);
              await p.waitForLoadState('load', { timeout: 5000 }).catch(() => undefined);
            }
            clock.log(
              `first visit ${rep + 1}/${o.repeats} ${bps / 1e6} Mbit/s ${v.key}: cold ${show(cold)}, LCP ${cold.lcp} ms, ${cold.fetched} fetched; warm ${show(warm)}, ${warm.fetched} fetched; back ${show(back)} (HTML ${back.htmlBytes} B)${switched(cold, warm) ? `, switched edges (${top(cold)} → ${top(warm)})` : ''}`,
            );
            if (process.env.FV_DEBUG) clock.log('  cold:', JSON.stringify({ fcp: cold.fcp, cls: cold.cls, shifts: cold.shifts, bootSet: cold.bootSet, htmlEnd: cold.htmlEnd, lcpWhat: cold.lcpWhat, hero: [cold.heroStart, cold.heroEnd], first: cold.firstAsset, runtime: [cold.loaderStart, cold.loaderEnd], css: cold.css, ran: cold.scriptsRan, link: cold.link }));
            if (process.env.FV_DEBUG) clock.log('warm fetched:', (warm as unknown as { net: string[] }).net.join(', '), 'all', warm.all, 'html', warm.htmlEnd, warm.marks ?? '', '| cold', cold.marks ?? '');
          } finally {
            await ctx.close();
          }
          done++;
        }
    }

    // Faults of edge a at 10 Mbit/s: the first page (nothing known) and the next page of the site
    // (health and manifest remembered, new images).
    const faulted = VARIANTS.filter((v) => v.faults);
    /** Fault runs whose first and next page both hit the cut-off are not repeated: they would again. */
    const allCut = new Set<string>();
    for (let rep = 0; rep < o.faultRepeats; rep++)
      for (const fault of ['refuse', 'blackhole'] as Fault[])
        for (const v of faulted) {
          if (allCut.has(fault + v.key)) continue;
          // (A fault run: two pages, each up to the cut-off, and between them its load event and settling, each up to as long.)
          if (rep > 0 && !fits(4 * o.cutoff)) {
            clock.log(`first visit: time budget: fault ${fault} ${v.key} skipped in repetition ${rep + 1}`);
            continue;
          }
          link.bitsPerSecond = SPEEDS[0];
          await reset();
          await a.set(fault);
          const ctx = await browser.newContext();
          await ctx.addInitScript(recorder);
          try {
            const p = await ctx.newPage();
            const first = await measure(p, urls.get(v.key)!.cold, o.cutoff, hosts, link);
            if (process.env.FV_DEBUG) clock.log('timeline of the first page:', timeline(first, hosts));
            if (process.env.FV_DEBUG) clock.log('health after the first page:', await p.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries(localStorage)))));
            // (Left once it has loaded and settled, every variant alike: the next page of a variant with a returning form is that form's.)
            await p.waitForLoadState('load', { timeout: o.cutoff }).catch(() => undefined);
            if (!(await settle(p, v))) clock.log(`first visit ${fault} ${v.key}: no cdn_boot cookie within 10 s: the next page got the inline boot`);
            const next = await measure(p, urls.get(v.key)!.next, o.cutoff, hosts);
            add(`${fault}/10/${v.key}/cold`, first);
            add(`${fault}/10/${v.key}/next`, next);
            if (first.all === null && next.all === null) allCut.add(fault + v.key);
            clock.log(`first visit ${fault} ${rep + 1}/${o.faultRepeats} ${v.key}: first ${show(first)}, next ${show(next)}`);
          } finally {
            await ctx.close();
            await reset();
          }
        }

    const series: FirstVisitSeries[] = [...runs].map(([key, samples]) => {
      const [fault, mbps, variant, visit] = key.split('/');
      const med = (f: keyof FirstVisitSeries['median']) => median(samples.map((s) => s[f]));
      const alls = samples.map((s) => s.all).filter((x): x is number => x !== null);
      return {
        key,
        variant,
        fault: fault as FirstVisitSeries['fault'],
        mbps: Number(mbps),
        visit: visit as FirstVisitSeries['visit'],
        n: samples.length,
        median: {
          all: med('all'),
          lcp: med('lcp'),
          htmlEnd: med('htmlEnd'),
          loaderStart: med('loaderStart'),
          loaderEnd: med('loaderEnd'),
          manifestEnd: med('manifestEnd'),
          firstAsset: med('firstAsset'),
          heroStart: med('heroStart'),
          heroEnd: med('heroEnd'),
          criticalBytes: med('criticalBytes'),
        },
        allMin: alls.length ? Math.min(...alls) : null,
        allMax: alls.length ? Math.max(...alls) : null,
        samples,
      };
    });
    const get = (k: string) => series.find((s) => s.key === k)?.median;
    const ratios: FirstVisitResult['ratios'] = [];
    for (const bps of SPEEDS)
      for (const v of VARIANTS) {
        const m = bps / 1e6;
        const base = get(`healthy/${m}/plain-edge/cold`);
        const baseWarm = get(`healthy/${m}/plain-edge/warm`);
        const c = get(`healthy/${m}/${v.key}/cold`);
        const w = get(`healthy/${m}/${v.key}/warm`);
        const back = get(`healthy/${m}/${v.key}/back`);
        const baseBack = get(`healthy/${m}/plain-edge/back`);
        const r = (x?: number | null, y?: number | null) => (x && y ? Math.round((x / y) * 100) / 100 : null);
        const vs = runs.get(`healthy/${m}/${v.key}/cold`) ?? [];
        const bs = runs.get(`healthy/${m}/plain-edge/cold`) ?? [];
        const paired = (f: (x: Sample, y: Sample) => number | null) => median(vs.map((x, i) => (bs[i] ? f(x, bs[i]) : null)).filter((x) => x !== null));
        const ws = runs.get(`healthy/${m}/${v.key}/warm`) ?? [];
        // (o.returning warm and back visits follow each cold one.)
        const coldOf = (i: number) => vs[Math.floor(i / o.returning)];
        const returning = (kind: 'warm' | 'back') => {
          const a = runs.get(`healthy/${m}/${v.key}/${kind}`) ?? [];
          const b = runs.get(`healthy/${m}/plain-edge/${kind}`) ?? [];
          const q = median(a.map((x, i) => (x.all && b[i]?.all ? x.all / b[i].all! : null)).filter((x) => x !== null));
          return q === null ? null : Math.round(q * 1000) / 1000;
        };
        const pr = paired((x, y) => (x.all && y.all ? x.all / y.all : null));
        const pl = paired((x, y) => (x.lcp != null && y.lcp != null ? x.lcp - y.lcp : null));
        ratios.push({
          variant: v.key,
          mbps: m,
          cold: r(c?.all, base?.all),
          warm: r(w?.all, baseWarm?.all),
          back: r(back?.all, baseBack?.all),
          warmSwitched: ws.filter((x, i) => coldOf(i) && switched(coldOf(i), x)).length,
          warmRuns: ws.length,
          lcpDeltaMs: c?.lcp != null && base?.lcp != null ? c.lcp - base.lcp : null,
          coldPaired: pr === null ? null : Math.round(pr * 100) / 100,
          warmPaired: returning('warm'),
          backPaired: returning('back'),
          lcpDeltaPairedMs: pl === null ? null : Math.round(pl),
        });
      }
    return {
      settings: { rttMs: RTT, mbps: SPEEDS.map((s) => s / 1e6), images: N_IMAGES, repeats: o.repeats, faultRepeats: o.faultRepeats, cutoffMs: o.cutoff, pinned: !!o.pinned, returning: o.returning, ...(trace ? { traced: true } : {}), ...(profile ? { profiled: true } : {}) },
      ran: { date: new Date().toISOString(), chromium: browser.version(), args: chromiumArgs },
      files: sizeOf,
      bootBytes,
      calibration,
      series,
      ratios,
    };
  } finally {
    for (const h of hosts) await h.close();
  }
}

const f0 = (x: number | null | undefined) => (x == null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: 0 }));
const x2 = (x: number | null | undefined) => (x == null ? '—' : `${x.toFixed(2)}×`);
const x3 = (x: number | null | undefined) => (x == null ? '—' : `${x.toFixed(3)}×`);

/** Markdown tables for the README and docs/first-visit.md. */
export function firstVisitTables(r: FirstVisitResult): string {
  const VARIANTS = ALL_VARIANTS.filter((v) => r.series.some((s) => s.variant === v.key));
  const get = (k: string) => r.series.find((s) => s.key === k);
  const label = (k: string) => VARIANTS.find((v) => v.key === k)!.label;
  const out: string[] = [];
  const n = Math.max(...r.series.filter((s) => s.fault === 'healthy' && s.visit === 'cold').map((s) => s.n));
  const back = Math.max(...r.series.filter((s) => s.fault === 'healthy' && s.visit === 'back').map((s) => s.n));
  // (Results from before --fv-returning have no paired ratios of returning visits.)
  const hasPaired = r.ratios.some((q) => q.warmPaired !== undefined);
  const paired = (x: number | null | undefined) => (hasPaired ? ` / ${x3(x)}` : '');
  out.push(
    `Healthy visits, medians of ${n} interleaved runs${back > n ? ` (of ${back} warm and back visits: --fv-returning)` : ''}, time until all images are shown: ratio of medians to the plain edge page's / median of per-repetition ratios (median ms); LCP Δ in ms the same two ways; warm: the page again at a new URL, its HTML fetched anew and every file cached, ratio of medians${hasPaired ? ' / median of the paired ratios' : ''} (and how many warm visits took their images mostly from another edge than the cold visit: switched); back: the same URL again, its HTML revalidated (304), ${hasPaired ? 'the same two ways' : 'ratio of medians'}.`,
    '',
    '| variant | critical-path bytes | cold 10 Mbit/s | LCP Δ | warm | back | cold 1.6 Mbit/s | LCP Δ | warm | back |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const v of VARIANTS) {
    const cells = [label(v.key), f0(get(`healthy/10/${v.key}/cold`)?.median.criticalBytes) + ' B'];
    for (const m of r.settings.mbps) {
      const q = r.ratios.find((x) => x.variant === v.key && x.mbps === m);
      const c = get(`healthy/${m}/${v.key}/cold`);
      const sign = (x: number | null | undefined) => (x == null ? '—' : `${x >= 0 ? '+' : ''}${x}`);
      cells.push(`${x2(q?.cold)} / ${x2(q?.coldPaired)} (${f0(c?.median.all)} ms)`, `${sign(q?.lcpDeltaMs)} / ${sign(q?.lcpDeltaPairedMs)}`, x2(q?.warm) + paired(q?.warmPaired) + (q?.warmRuns ? ` (${q.warmSwitched}/${q.warmRuns} switched)` : ''), x2(q?.back) + paired(q?.backPaired));
    }
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push(
    '',
    'Where the first page\'s time goes (cold, medians, ms from navigation start): 10 Mbit/s / 1.6 Mbit/s.',
    '',
    '| variant | HTML end | loader start–end | manifest end | first image request | hero image request–end | LCP | all images |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const v of VARIANTS) {
    const c = r.settings.mbps.map((m) => get(`healthy/${m}/${v.key}/cold`)?.median);
    const pair = (f: (x: NonNullable<(typeof c)[0]>) => string) => c.map((x) => (x ? f(x) : '—')).join(' / ');
    out.push(
      `| ${label(v.key)} | ${pair((x) => f0(x.htmlEnd))} | ${pair((x) => (x.loaderStart == null ? '—' : `${f0(x.loaderStart)}–${f0(x.loaderEnd)}`))} | ${pair((x) => f0(x.manifestEnd))} | ${pair((x) => f0(x.firstAsset))} | ${pair((x) => `${f0(x.heroStart)}–${f0(x.heroEnd)}`)} | ${pair((x) => f0(x.lcp))} | ${pair((x) => f0(x.all))} |`,
    );
  }
  // Where the time goes at the slow speed, from the link's trace (older results have no trace: no table).
  const slow = Math.min(...r.settings.mbps);
  if (r.series.some((s) => s.samples.some((x) => x.link))) {
    out.push(
      '',
      `Where the link's time goes at ${slow} Mbit/s, and what paints when (cold, medians; the link from the HTML's first byte to the last image; layout shifted: runs with a layout shift, out of all, at 10 / ${slow} Mbit/s):`,
      '',
      '| variant | link busy, ms: html + loader + css + js + img = all | link idle (before the first image byte) | loader bytes before the hero\'s end | stylesheets | FCP | LCP | last script ran | layout shifted |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    const KINDS = ['html', 'loader', 'css', 'js', 'img'];
    for (const v of VARIANTS) {
      const cold = (m: number) => get(`healthy/${m}/${v.key}/cold`)?.samples ?? [];
      const xs = cold(slow).filter((x) => x.link);
      if (!xs.length) continue;
      const med = (f: (x: Sample) => number | null | undefined) => median(xs.map((x) => f(x) ?? null).filter((y): y is number => y !== null));
      const busy = KINDS.map((k) => med((x) => x.link!.busy[k] ?? 0));
      const blocking = [...new Set(xs.flatMap((x) => x.css.map((c) => c.blocking)))].join(', ');
      const shifted = r.settings.mbps.map((m) => `${cold(m).filter((x) => x.cls > 0).length}/${cold(m).length}`).join(' / ');
      out.push(
        `| ${label(v.key)} | ${busy.map((b) => f0(b)).join(' + ')} = ${f0(busy.reduce((a: number, b) => a + (b ?? 0), 0))} | ${f0(med((x) => x.link!.idle))} (${f0(med((x) => x.link!.idleBeforeImages))}) | ${f0(med((x) => x.link!.beforeHero.loader ?? 0))} B | ${blocking} | ${f0(med((x) => x.fcp))} | ${f0(med((x) => x.lcp))} | ${f0(med((x) => x.scriptsRan))} | ${shifted} |`,
      );
    }
  }
  const faulted = VARIANTS.filter((v) => v.faults);
  if (r.series.some((s) => s.fault !== 'healthy')) {
    const fn = Math.max(...r.series.filter((s) => s.fault !== 'healthy').map((s) => s.n));
    out.push('', `Edge a at fault, 10 Mbit/s, medians of ${fn} runs (all images shown, ms; the next page is another page of the site, new images):`, '', '| variant | refused: first | next | blackholed: first | next |', '|---|---|---|---|---|');
    for (const v of faulted) {
      const cell = (k: string) => {
        const s = get(k);
        return s ? (s.median.all === null ? `cut off` : f0(s.median.all)) : '—';
      };
      out.push(`| ${label(v.key)} | ${cell(`refuse/10/${v.key}/cold`)} | ${cell(`refuse/10/${v.key}/next`)} | ${cell(`blackhole/10/${v.key}/cold`)} | ${cell(`blackhole/10/${v.key}/next`)} |`);
    }
  }
  const spread = r.series
    .filter((s) => s.fault === 'healthy' && s.visit === 'cold' && s.median.all)
    .map((s) => ((s.allMax ?? 0) - (s.allMin ?? 0)) / s.median.all!);
  out.push('', `Noise: the spread (max − min) of a cold series is ${f0(median(spread)! * 100)}% of its median (median over series; worst ${f0(Math.max(...spread) * 100)}%)${r.settings.pinned ? '; the emulated link and Chromium on cores of their own (--pin)' : ''}.`);
  out.push(`Boot (dist/cdn-loader-boot.js, inlined): ${f0(r.bootBytes.minified)} B minified, ${f0(r.bootBytes.gzip)} B gzip.`);
  return out.join('\n') + '\n';
}
