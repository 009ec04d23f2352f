// `cdn-loader manifest` + `cdn-loader rewrite` on a plain static site, then the site in a browser: the
// rewritten page loads its images, stylesheet and scripts from the edge (scripts in order, each once),
// with integrity; the manifest is downloaded once (the loader uses the preload); what the rewrite left
// alone still works.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test, expect, settled } from './fixtures.js';
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

test('a static site after manifest + rewrite: everything registered comes from the edge, each file and the manifest once', async ({ page, site }) => {
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
    };
    for (const [f, body] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), body);
    }
    // The command as npx runs it.
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['bin/cdn-loader.mjs', ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const edges = site.edges.flatMap((e) => ['--edge', `${e.name}=${e.url}`]);
    cli('manifest', dir, ...edges, '--origin', site.origin.url, '--out', join(dir, 'full.json'));
    // Only the asset folders are registered (so /other/ stays on the origin), with the probe settings of the tests.
    const m = JSON.parse(readFileSync(join(dir, 'full.json'), 'utf8'));
    m.assets = m.assets.filter((a: string | { path: string }) => !(typeof a === 'string' ? a : a.path).startsWith('/other/'));
    Object.assign(m, { probe: { timeout: 1000, interval: 60000 }, failover: { timeout: 10000 } });
    writeFileSync(join(dir, 'cdn-manifest.json'), JSON.stringify(m));
    rmSync(join(dir, 'full.json'));
    expect(cli('rewrite', dir)).toMatch(/^rewrote 1 page \(6 attributes, 1 loader tags\)/);

    for (const f of walk(dir)) {
      const path = '/' + relative(dir, f).split(sep).join('/');
      const body = readFileSync(f);
      const type = path.endsWith('.html') ? 'text/html; charset=utf-8' : path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : path.endsWith('.json') ? 'application/json' : 'image/png';
      site.origin.file(path, body, type);
      if (path === '/index.html') site.origin.file('/', body, type);
      else for (const e of site.edges) e.file(path, body, type);
    }
    site.origin.file('/favicon.ico', '', 'image/x-icon');
    const problems: string[] = [];
    page.on('console', (msg) => (msg.type() === 'error' || msg.type() === 'warning') && problems.push(msg.text()));

    await page.goto(site.origin.url + '/');
    // a, b (its <picture>), the stylesheet and the two scripts.
    const loads = await settled(page, 5);
    expect(loads.map((e) => e.source)).toEqual(Array(5).fill('a'));
    await page.waitForFunction(() => ((window as { __ran?: string[] }).__ran ?? []).length === 3);
    expect(await page.evaluate(() => (window as { __ran?: string[] }).__ran)).toEqual(['inline', 'first', 'second']);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--site').trim())).toBe('1');
    await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));

    // The origin served the page, the loader, the manifest (once: the loader took the preload's answer)
    // and the image the manifest does not register; the edge served every registered file once.
    expect(site.origin.hits().sort()).toEqual(['/', '/cdn-loader.js', '/cdn-manifest.json', '/other/c.png']);
    expect(site.a.hits().sort()).toEqual(['/css/site.css', '/images/a.png', '/images/b.webp', '/js/first.js', '/js/second.js']);
    expect(problems).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
