// `npm run bench:vite`: where should the Vite plugin put the manifest? Builds the fixture app of
// e2e/vite-app three ways (manifest inline in the loader's tag; linked with a preload beside the loader;
// linked without one) plus a plain build without the plugin, serves each on a loopback origin and two
// edges, and times the first visit (fresh profile) and the next page (about/, same profile) in Chromium
// on an emulated slow link (CDP: 150 ms round trip, 1.6 Mbit/s). Variants run interleaved, repetition by
// repetition; figures are medians, comparisons ratios of medians from this same run. Options: --repeats N.
import { chromium, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { browserPath, chromiumArgs } from '../playwright.config.js';
import { startServer, type TestServer } from '../e2e/servers.js';
import { buildApp, serve, type Built } from '../e2e/viteApp.js';
import { median, fmt, ratio } from './stats.js';

const i = process.argv.indexOf('--repeats');
const repeats = i > 0 ? Number(process.argv[i + 1]) : 7;

/** Runs before any page script: the time (from navigation start) when the app ran and every image showed. */
function recorder(): void {
  const w = window as unknown as { __done: number; __app?: string[] };
  w.__done = 0;
  const check = () => {
    const want = location.pathname.startsWith('/about') ? ['about'] : ['main', 'lazy'];
    const imgs = Array.from(document.images).filter((i) => !i.hidden);
    if (!w.__done && want.every((m) => w.__app?.includes(m)) && imgs.every((i) => i.complete && i.naturalWidth > 0)) w.__done = performance.now();
  };
  document.addEventListener('load', check, true);
  document.addEventListener('app:mark', check);
}

type Variant = { name: string; origin: TestServer; edges: TestServer[]; built: Built; html: number };

async function variant(name: string, options: object | null, strip?: RegExp): Promise<Variant> {
  const origin = await startServer({ name: 'origin' });
  const edges = [await startServer({ name: 'a' }), await startServer({ name: 'b' })];
  // Without options: the app as Vite builds it without the plugin, everything from the origin.
  const built = await buildApp(options && { origin: origin.url, edges: edges.map((e) => ({ id: e.name, url: e.url })), ...options });
  serve(built, origin, edges);
  let html = readFileSync(join(built.dir, 'index.html'), 'utf8');
  if (strip) {
    html = html.replace(strip, '');
    origin.file('/', html);
  }
  origin.file('/favicon.ico', '', 'image/x-icon');
  return { name, origin, edges, built, html: gzipSync(html).length };
}

async function visit(browser: Browser, v: Variant): Promise<[number, number]> {
  const ctx = await browser.newContext();
  await ctx.addInitScript(recorder);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
  const times: number[] = [];
  for (const path of ['/', '/about/']) {
    await page.goto(v.origin.url + path, { waitUntil: 'commit' });
    times.push(await page.waitForFunction(() => (window as unknown as { __done: number }).__done, undefined, { timeout: 30000, polling: 20 }).then((h) => h.jsonValue()));
  }
  await ctx.close();
  return times as [number, number];
}

const variants = [
  await variant('inline (default)', {}),
  await variant('link + preload', { manifest: 'link' }),
  await variant('link, no preload', { manifest: 'link' }, /<link rel="preload" href="\/cdn-manifest.json" as="fetch" crossorigin>/),
  await variant('no plugin (origin only)', null),
];
const browser = await chromium.launch({ executablePath: browserPath(), args: chromiumArgs, headless: true });
const samples = variants.map(() => [[], []] as [number[], number[]]);
try {
  for (let r = 0; r < repeats; r++)
    for (const [k, v] of variants.entries()) {
      const [first, next] = await visit(browser, v);
      samples[k][0].push(first);
      samples[k][1].push(next);
      process.stderr.write(`${v.name}: ${fmt(first)} / ${fmt(next)} ms\n`);
    }
} finally {
  await browser.close();
  for (const v of variants) {
    await Promise.all([v.origin, ...v.edges].map((s) => s.close()));
    v.built.remove();
  }
}
const base = [median(samples[0][0]), median(samples[0][1])];
const rows = variants.map((v, k) => {
  const [f, n] = [median(samples[k][0]), median(samples[k][1])];
  return `| ${v.name} | ${v.html} | ${fmt(f!)} | ${ratio(f, base[0])} | ${fmt(n!)} | ${ratio(n, base[1])} |`;
});
process.stdout.write(
  [
    `Vite app, ${repeats} runs each, 150 ms RTT, 1.6 Mbit/s; median ms until the app ran and every image showed`,
    '| manifest | index.html gzip B | first visit | ratio | next page | ratio |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
