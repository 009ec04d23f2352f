// The browser sample of the fuzzed manifests (test/fuzz.test.ts runs all of them through the
// validator in Node): every 200th case of the same seed, served as a page's manifest. Whatever the
// manifest, the page throws nothing, requests nothing but http(s), runs no code the manifest names,
// shows every resource (scripts and stylesheets only when the manifest registers them: otherwise they
// stay inert, docs/security.md), and, when the manifest is refused, gets every resource from the
// origin with one console.error naming the field that Node's validator names.
import type { Page } from '@playwright/test';
import { test, expect, uncaught as watchUncaught, type Site } from './fixtures.js';
import { ManifestError, findRule, parseManifest, type Config } from '../src/manifest/manifest.js';
import { DEFAULT_SEED, describe, fuzzCase, type FuzzBase } from '../test/fuzzgen.js';

const SEED = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED) >>> 0;
/** Cases of the Node run sampled here: index 0, 200, 400, … */
const STEP = 200;
const PER_TEST = 15;
const TESTS = 4;

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|[\w-]+\.localhost|\[::1\])(:\d+)?\//;

/** The same shape of base as the Node run's (four edges, three asset folders), on the test servers. */
const baseOf = (site: Site, page: string): FuzzBase => ({
  page,
  origin: site.origin.url,
  edges: [site.a.url, site.b.url, site.c.url, `http://localhost:${site.c.port}/mirror`],
  assets: ['/images/', '/css/', '/js/*.js'],
});

/** What the page ended up with: whether all is shown (`code`: the stylesheet and script too), and where each resource came from. */
async function state(page: Page, name: string, code = true) {
  return page.evaluate(([name, code]) => {
    const imgs = Array.from(document.images);
    const css = document.getElementById('css') as HTMLLinkElement | null;
    const script = Array.from(document.querySelectorAll('script[src]')).find((s) => (s as HTMLScriptElement).src.includes(`/js/${name}.js`)) as HTMLScriptElement | undefined;
    const urls = Array.from(document.querySelectorAll('[src],[href],[srcset],[poster]')).flatMap((el) =>
      ['src', 'href', 'srcset', 'poster'].map((a) => el.getAttribute(a)).filter((v): v is string => v !== null),
    );
    return {
      shown:
        imgs.every((i) => i.complete && i.naturalWidth > 0) &&
        (!code ||
          (getComputedStyle(document.documentElement).getPropertyValue('--' + name).trim() === '1' &&
            ((window as unknown as { __ran?: string[] }).__ran ?? []).includes(name))),
      images: imgs.map((i) => i.currentSrc),
      css: css?.href ?? '',
      script: script?.src ?? '',
      ran: (window as unknown as { __ran?: string[] }).__ran ?? [],
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      urls,
    };
  }, [name, code] as const);
}

for (let t = 0; t < TESTS; t++)
  test(`fuzzed manifests in the browser, sample ${t + 1}/${TESTS} (seed ${SEED}, every ${STEP}th case)`, async ({ page, site, context }) => {
    test.setTimeout(90000);
    const requests: string[] = [];
    const uncaught = watchUncaught(page);
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    // A manifest may name any host: none is ever contacted (names resolve nowhere, and this aborts
    // anything that is not loopback before it leaves).
    const outside: string[] = [];
    await context.route(
      (url) => !LOOPBACK.test(url.href),
      (route) => {
        outside.push(route.request().url());
        return route.abort();
      },
    );
    const problems: string[] = [];
    let refused = 0;
    let accepted = 0;
    for (let k = 0; k < PER_TEST; k++) {
      const index = (t * PER_TEST + k) * STEP;
      const name = `f${index}`;
      const pagePath = `/fuzz/${name}.html`;
      const c = fuzzCase(SEED, index, baseOf(site, site.origin.url + pagePath));
      // Served over HTTP, the manifest is whatever JSON makes of the case.
      let text: string | undefined;
      try {
        text = JSON.stringify(c.value);
      } catch {
        text = undefined;
      }
      if (text === undefined) continue;
      let expected: string | undefined;
      let cfg: Config | undefined;
      try {
        cfg = parseManifest(JSON.parse(text), site.origin.url + pagePath);
      } catch (e) {
        if (!(e instanceof ManifestError)) throw e;
        expected = e.message;
      }
      const field = expected && /^cdn-loader: manifest[^:]*:/.exec(expected)![0];
      site.origin.file(`/fuzz/${name}.json`, text, 'application/json');
      site.origin.file(
        pagePath,
        `<!doctype html><html><head><meta charset="utf-8"><title>fuzz</title><script src="/cdn-loader.js" data-manifest="/fuzz/${name}.json" data-manifest-timeout="3000"></script></head><body>
<img data-cdn-src="/images/${name}-0.png" alt=""><img data-cdn-src="/images/${name}-1.png" data-cdn-srcset="/images/${name}-1.png 1x, /images/${name}-1@2x.png 2x" alt="">
<link id="css" rel="stylesheet" data-cdn-href="/css/${name}.css"><script data-cdn-src="/js/${name}.js"></script>
</body></html>`,
        'text/html; charset=utf-8',
      );
      const errorsBefore = errors.length;
      const requestsBefore = requests.length;
      await page.goto(site.origin.url + pagePath);
      const what = describe(SEED, c);
      // Refused: the origin-only fallback loads same-origin scripts and stylesheets. Accepted: only registered ones load.
      const code = !cfg || (!!findRule(cfg, `/css/${name}.css`) && !!findRule(cfg, `/js/${name}.js`));
      const partly = !!cfg && !code && (!!findRule(cfg, `/css/${name}.css`) || !!findRule(cfg, `/js/${name}.js`));
      try {
        await expect.poll(async () => (await state(page, name, code)).shown, { timeout: 15000 }).toBe(true);
      } catch {
        problems.push(`${name}: not every resource was shown (${JSON.stringify(await state(page, name, code))})\n    ${what}`);
        continue;
      }
      const s = await state(page, name, code);
      if (s.pwned !== undefined) problems.push(`${name}: code from the manifest ran\n    ${what}`);
      if (!partly && JSON.stringify(s.ran) !== JSON.stringify(code ? [name] : [])) problems.push(`${name}: scripts ran as ${JSON.stringify(s.ran)}\n    ${what}`);
      for (const u of requests.slice(requestsBefore)) if (!/^https?:/i.test(u)) problems.push(`${name}: a ${u.split(':')[0]}: request ${u.slice(0, 80)}\n    ${what}`);
      for (const u of s.urls) if (/^\s*(javascript|data|vbscript|blob|file):/i.test(u)) problems.push(`${name}: an element points at ${u.slice(0, 80)}\n    ${what}`);
      const ours = errors.slice(errorsBefore).filter((e) => e.startsWith('cdn-loader: manifest'));
      if (expected) {
        refused++;
        const fromOrigin = [...s.images, s.css, s.script].every((u) => u.startsWith(site.origin.url + '/'));
        if (!fromOrigin) problems.push(`${name}: refused, yet not everything came from the origin (${JSON.stringify([...s.images, s.css, s.script])})\n    ${what}`);
        for (const e of site.edges) {
          const asked = e.hits((p) => p.includes(`${name}-`) || p.includes(`/${name}.`));
          if (asked.length) problems.push(`${name}: refused, yet edge ${e.name} was asked for ${asked}\n    ${what}`);
        }
        if (ours.length !== 1 || !ours[0].startsWith(field!)) problems.push(`${name}: expected one console.error starting "${field}", got ${JSON.stringify(ours)}\n    ${what}`);
      } else {
        accepted++;
        if (ours.length) problems.push(`${name}: accepted in Node, refused in the browser: ${ours[0]}\n    ${what}`);
      }
    }
    if (uncaught.length) problems.push(`uncaught: ${uncaught.join(' | ')}`);
    test.info().annotations.push({ type: 'figures', description: `${refused} refused, ${accepted} accepted, ${outside.length} outside requests aborted` });
    expect(problems).toEqual([]);
    expect(refused + accepted).toBeGreaterThanOrEqual(PER_TEST - 1);
  });
