// Server rendering and hydration with the loader: real React 19 (renderToString + hydrateRoot) and Vue 3
// (@vue/server-renderer + createSSRApp), development builds (the ones that warn). The page is hydrated
// after the loader has set every image's src and, with debug on, marked its alt: the case of any visit
// with the manifest known. Under the pattern of docs/ssr.md neither framework warns, debug on or off;
// the plain markup is tested too, to show what the pattern prevents (and that the test would see it).
import { build } from 'esbuild';
import { createElement } from 'react';
import { renderToString as reactToString } from 'react-dom/server';
import { createSSRApp } from 'vue';
import { renderToString as vueToString } from '@vue/server-renderer';
import { test, expect, settled, events } from './fixtures.js';
import { App as ReactApp } from './ssr/reactApp.js';
import { App as VueApp } from './ssr/vueApp.js';

const bundles: Record<string, Promise<string>> = {};
/** The browser bundle of an app, a development build. */
const bundle = (name: 'react' | 'vue') =>
  (bundles[name] ??= build({
    entryPoints: [`e2e/ssr/${name}Client.ts`],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    logLevel: 'warning',
    define: {
      'process.env.NODE_ENV': '"development"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  }).then((r) => r.outputFiles[0].text));

const render = (name: 'react' | 'vue', pattern: boolean) =>
  name === 'react' ? Promise.resolve(reactToString(createElement(ReactApp, { pattern }))) : vueToString(createSSRApp(VueApp, { pattern }));

for (const name of ['react', 'vue'] as const)
  for (const debug of [false, true])
    for (const pattern of [true, false]) {
      // What the plain markup does: React warns about src (and alt, with debug); Vue about alt with debug only.
      const warns = !pattern && (name === 'react' || debug);
      test(`${name}: ${pattern ? 'the pattern' : 'plain data-cdn-src'}, debug ${debug ? 'on' : 'off'}: ${warns ? 'hydration warns' : 'no warning'}`, async ({ page, site }) => {
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        site.origin.file('/app.js', await bundle(name), 'text/javascript');
        site.origin.file('/favicon.ico', '', 'image/x-icon');
        const html = await render(name, pattern);
        await site.open(`<div id="root">${html}</div><script>window.__pattern = ${pattern};</script><script src="/app.js"></script>`, {
          tag: `data-manifest="/cdn-manifest.json"${debug ? ' data-debug' : ''}`,
        });
        // The loader's work is done before hydration: every image served by edge a (and marked, in debug).
        const loads = await settled(page, 3);
        expect(loads.map((e) => e.source)).toEqual(['a', 'a', 'a']);
        expect(await page.locator('img').first().getAttribute('alt')).toBe(debug ? 'a0 [CDN]' : 'a0');
        await page.evaluate(() => (window as unknown as { hydrate: () => void }).hydrate());
        await page.waitForFunction(() => (window as { __hydrated?: boolean }).__hydrated === true);
        // React and Vue report mismatches during hydration; a round trip to the page lets any last log arrive.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
        if (warns) {
          expect(problems.join('\n')).toMatch(name === 'react' ? /didn't match the client properties[\s\S]*src=/ : /Hydration attribute mismatch[\s\S]*a0 \[CDN\]/);
        } else expect(problems).toEqual([]);
        // Hydration kept what the loader did: the edge's URLs, and the debug marks.
        const imgs = await page.evaluate(() => Array.from(document.images).map((i) => [new URL(i.currentSrc).port, i.alt]));
        expect(imgs).toEqual([0, 1, 2].map((i) => [String(site.a.port), debug ? `a${i} [CDN]` : `a${i}`]));
        expect((await events(page, 'cdn:error')).length).toBe(0);
      });
    }
