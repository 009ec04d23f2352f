// `cdn-loader manifest` + `cdn-loader rewrite` on a plain static site, then the site in a browser. By
// default (the manifest and the boot inline, the runtime async) and with `--one-tag` (the loader and the
// manifest by URL): the rewritten page loads its images, stylesheet and scripts from the edge (scripts in
// order, each once), with integrity; what the rewrite left alone still works; with its first edge
// blackholed nothing is lost; under a <meta> CSP that blocks inline scripts the page still works. With
// `--plain-urls` the images and the stylesheet are plain URLs at the first edge, requested once when it is
// healthy, and moved to the next edge by the runtime when it hangs.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { cli } from './cli.js';
import type { Page } from '@playwright/test';
import { test, expect, settled, type Site } from './fixtures.js';
import { png, scriptBody, styleBody } from './servers.js';

const PAGE = `<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>Static</title>
  <link rel="stylesheet" href="css/site.css">
  <script src="/js/first.js"></script>
  <script>(window.__ran = window.__ran || []).push('inline');</script>
</head>
<body>
  <img id="a" src="images/a.png" alt="a">
  <picture><source srcset="/images/b.webp" type="image/webp"><img id="b" src="/images/b.png" alt="b"></picture>
  <img id="plain" src="/other/c.png" alt="c">
  <noscript><img src="/images/n.png" alt="no js"></noscript>
  <script src="/js/second.js"></script>
</body>
</html>
`;

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

/** Writes the site into a folder, runs `manifest` and `rewrite …args` as npx would, and serves the result. */
function rewritten(site: Site, args: string[], extra: Record<string, string> = {}): void {
  const dir = mkdtempSync(join(tmpdir(), 'cdn-loader-static-'));
  try {
    const files: Record<string, string | Buffer> = {
      'index.html': PAGE,
      'css/site.css': styleBody('site'),
      'js/first.js': scriptBody('first'),
      'js/second.js': scriptBody('second'),
      'images/a.png': png(200, 0, 0),
      'images/b.png': png(0, 200, 0),
      'images/b.webp': png(0, 0, 200),
      'other/c.png': png(9, 9, 9),
      ...extra,
    };
    for (const [f, body] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), body);
    }
    const edges = site.edges.flatMap((e) => ['--edge', `${e.name}=${e.url}`]);
    cli('manifest', dir, ...edges, '--origin', site.origin.url, '--out', join(dir, 'full.json'));
    // Only the asset folders are registered (so /other/ stays on the origin), with the probe settings of the tests.
    const m = JSON.parse(readFileSync(join(dir, 'full.json'), 'utf8'));
    m.assets = m.assets.filter((a: string | { path: string }) => !(typeof a === 'string' ? a : a.path).startsWith('/other/'));
    Object.assign(m, { probe: { timeout: 1000, interval: 60000 }, failover: { timeout: 1500 } });
    writeFileSync(join(dir, 'cdn-manifest.json'), JSON.stringify(m));
    rmSync(join(dir, 'full.json'));
    const pages = 1 + Object.keys(extra).filter((f) => f.endsWith('.html')).length;
    expect(cli('rewrite', dir, ...args)).toMatch(new RegExp(`^rewrote ${pages} pages? \\(${6 * pages} attributes, ${pages} loader tags\\)`));

    for (const f of walk(dir)) {
      const path = '/' + relative(dir, f).split(sep).join('/');
      const body = readFileSync(f);
      const type = path.endsWith('.html') ? 'text/html; charset=utf-8' : path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : path.endsWith('.json') ? 'application/json' : 'image/png';
      site.origin.file(path, body, type);
      if (path === '/index.html') site.origin.file('/', body, type);
      else if (!path.endsWith('.html')) for (const e of site.edges) e.file(path, body, type);
    }
    site.origin.file('/favicon.ico', '', 'image/x-icon');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until the page has everything: a, b (its <picture>), the stylesheet and the two scripts settled, the scripts run in order, the style applied, every image shown. */
async function complete(page: Page, first: string | null = 'inline') {
  const loads = await settled(page, 5);
  await page.waitForFunction(() => ((window as { __ran?: string[] }).__ran ?? []).length === 3);
  const ran = await page.evaluate(() => (window as { __ran?: string[] }).__ran!);
  // null: the inline script's place is not fixed (it waits for a stylesheet, the loader's scripts for the runtime).
  if (first === null) expect([ran.filter((r) => r !== 'inline'), ran.includes('inline')]).toEqual([['first', 'second'], true]);
  else expect(ran).toEqual([first, 'first', 'second']);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site').trim())).toBe('1');
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
  return loads;
}

const REGISTERED = ['/css/site.css', '/images/a.png', '/images/b.webp', '/js/first.js', '/js/second.js'];

for (const [name, args, loader] of [
  ['by default (manifest and boot inline, runtime async)', [], ['/cdn-loader-runtime.js']],
  ['with --one-tag (loader and manifest by URL)', ['--one-tag'], ['/cdn-loader.js', '/cdn-manifest.json']],
] as const)
  test(`a static site after manifest + rewrite ${name}: everything registered comes from the edge, each file once`, async ({ page, site }) => {
    rewritten(site, [...args]);
    const problems: string[] = [];
    page.on('console', (msg) => (msg.type() === 'error' || msg.type() === 'warning') && problems.push(msg.text()));

    await page.goto(site.origin.url + '/');
    const loads = await complete(page);
    expect(loads.map((e) => e.source)).toEqual(Array(5).fill('a'));
    // The origin served the page, the runtime (or the loader and the manifest, once: the loader took the
    // preload's answer) and the image the manifest does not register; the edge served every registered file once.
    expect(site.origin.hits().sort()).toEqual(['/', ...loader, '/other/c.png'].sort());
    expect(site.a.hits().sort()).toEqual(REGISTERED);
    expect(problems).toEqual([]);
  });

for (const [what, held] of [
  ['blackholed', ['/']],
  // The same with its stylesheet answered: Firefox holds every image while a stylesheet hangs (e2e/known.ts).
  ['holding its images and scripts', ['/images/', '/js/']],
] as const)
  test(`a rewritten static site with its first edge ${what}, first and next page: nothing is lost, each file comes once from the next edge`, async ({ page, site }) => {
    rewritten(site, [], { 'next.html': PAGE.replace('<title>Static</title>', '<title>Next</title>').replace(/images\/(\w)\./g, 'images/next-$1.') });
    for (const e of site.edges) {
      e.file('/images/next-a.png', png(200, 0, 0), 'image/png');
      e.file('/images/next-b.png', png(0, 200, 0), 'image/png');
      e.file('/images/next-b.webp', png(0, 0, 200), 'image/png');
    }
    for (const prefix of held) await site.a.set({ fault: 'blackhole' }, prefix);

    // Not waiting for the load event: the requests held by edge a may hold it back.
    await page.goto(site.origin.url + '/', { waitUntil: 'commit' });
    const loads = await complete(page);
    const moved = held.length > 1 ? ['/images/a.png', '/images/b.webp', '/js/first.js', '/js/second.js'] : REGISTERED;
    expect(loads.filter((e) => e.source === 'b').length).toBe(moved.length);
    expect(site.b.hits().sort()).toEqual(moved);
    expect(site.c.hits()).toEqual([]);

    // The next page: nothing lost, no image asked twice of a server; with edge a wholly down it starts on
    // another edge at once (b or c: `always` goes by the latencies measured on the first page), nothing on a.
    const before = site.a.hits().length;
    await page.goto(site.origin.url + '/next.html', { waitUntil: 'commit' });
    const next = await complete(page);
    expect(next.every((e) => e.type === 'cdn:load')).toBe(true);
    for (const s of [site.origin, ...site.edges]) {
      const hits = s.hits((p) => p.includes('next-'));
      expect(hits.filter((p, i) => hits.indexOf(p) !== i), s.name).toEqual([]);
    }
    if (held.length === 1) {
      expect(next.every((e) => e.source !== 'a' && e.source === next[0].source)).toBe(true);
      expect(site.a.hits().length).toBe(before);
    }
  });

test('a rewritten page whose <meta> CSP blocks inline scripts: the runtime as its one tag, everything from the edge, no violation', async ({ page, site }) => {
  const csp = `<meta http-equiv="Content-Security-Policy" content="script-src 'self' ${site.edges.map((e) => e.url).join(' ')}">`;
  // The page's own inline script is what the policy blocks: its place in the order is taken by nobody.
  rewritten(site, [], { 'strict.html': PAGE.replace('<meta charset="utf-8">', '<meta charset="utf-8">' + csp) });
  const problems: string[] = [];
  page.on('console', (msg) => (msg.type() === 'error' || msg.type() === 'warning') && !/inline script|script-src|Content.Security.Policy/i.test(msg.text()) && problems.push(msg.text()));
  const html = (await (await fetch(site.origin.url + '/strict.html')).text()).split('\n')[3];
  expect(html).toMatch(/<script type="application\/json" id="cdn-manifest">.*<\/script><script src="\/cdn-loader-runtime\.js" data-manifest="#cdn-manifest"><\/script>$/);

  await page.goto(site.origin.url + '/strict.html');
  const loads = await settled(page, 5);
  expect(loads.map((e) => e.source)).toEqual(Array(5).fill('a'));
  await page.waitForFunction(() => ((window as { __ran?: string[] }).__ran ?? []).length === 2);
  expect(await page.evaluate(() => (window as { __ran?: string[] }).__ran)).toEqual(['first', 'second']);
  expect(site.a.hits().sort()).toEqual(REGISTERED);
  expect(problems).toEqual([]);
});

test('a static site rewritten with --plain-urls, healthy: images and the stylesheet are plain URLs at the first edge, each requested once, scripts through the loader', async ({ page, site }) => {
  rewritten(site, ['--plain-urls']);
  const problems: string[] = [];
  page.on('console', (msg) => (msg.type() === 'error' || msg.type() === 'warning') && problems.push(msg.text()));
  const html = await (await fetch(site.origin.url + '/index.html')).text();
  expect(html).toContain(`<img id="a" src="${site.a.url}/images/a.png" alt="a">`);
  expect(html).toMatch(new RegExp(`<link rel="stylesheet" href="${site.a.url}/css/site\\.css" integrity="sha384-[^"]+" crossorigin="anonymous">`));
  expect(html).toContain('<script data-cdn-src="/js/first.js"></script>');
  // The page's own inline script below its plain stylesheet waits for it: the runtime in <head>, after the boot
  // (at the end of <body> it would wait too, and a hanging edge would hold the page).
  expect(html).toMatch(/<\/script><script async src="\/cdn-loader-runtime\.js" data-manifest="#cdn-manifest"><\/script>\n  <title>/);

  await page.goto(site.origin.url + '/');
  const loads = await complete(page, null);
  expect(loads.map((e) => e.source)).toEqual(Array(5).fill('a'));
  expect(await page.evaluate(() => [...document.images].map((i) => i.getAttribute('src')))).toEqual([`${site.a.url}/images/a.png`, `${site.a.url}/images/b.png`, '/other/c.png']);
  expect(site.origin.hits().sort()).toEqual(['/', '/cdn-loader-runtime.js', '/index.html', '/other/c.png']);
  expect(site.a.hits().sort()).toEqual(REGISTERED);
  expect(site.b.hits()).toEqual([]);
  expect(problems).toEqual([]);
});

for (const [what, held] of [
  ['blackholed', ['/']],
  // Its stylesheet answered: Firefox holds every image while a stylesheet hangs (e2e/known.ts).
  ['holding its images and scripts', ['/images/', '/js/']],
] as const)
  test(`a static site rewritten with --plain-urls, its first edge ${what}: every image is shown, from the next edge`, async ({ page, site }) => {
    rewritten(site, ['--plain-urls']);
    for (const prefix of held) await site.a.set({ fault: 'blackhole' }, prefix);
    await page.goto(site.origin.url + '/', { waitUntil: 'commit' });
    const loads = await complete(page, null);
    const moved = held.length > 1 ? ['/images/a.png', '/images/b.webp', '/js/first.js', '/js/second.js'] : REGISTERED;
    expect(loads.filter((e) => e.source === 'b').length).toBe(moved.length);
    expect(site.b.hits().sort()).toEqual(moved);
    expect(site.c.hits()).toEqual([]);
    // The images kept their plain URLs' paths: what shows is edge b's copy.
    expect(await page.evaluate(() => [...document.images].slice(0, 2).map((i) => new URL(i.currentSrc).pathname))).toEqual(['/images/a.png', '/images/b.webp']);
  });
