// Review of the runtime's compile hint (`//# allFunctionsCalledOnLoad`, scripts/build.mjs): the negative
// control of e2e/boot.spec.ts's last test. The same kind of split page, the runtime served without its first
// line (the hint): Chromium then compiles its functions on the main thread at their first call, inside its
// evaluation, and only its top level on the streaming thread, so that test can fail.
import { readFileSync } from 'node:fs';
import { test, expect, settled } from './fixtures.js';
import { compiles, traceCompiles } from './compiles.js';

const BOOT = readFileSync(new URL('../dist/cdn-loader-boot.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');
const RUNTIME = readFileSync(new URL('../dist/cdn-loader-runtime.js', import.meta.url), 'utf8');
const HINT = '//# allFunctionsCalledOnLoad\n';

for (const [name, path, body] of [
  ['without the compile hint, the runtime compiles its functions on the main thread at their first call', '/runtime-nohint.js', RUNTIME.slice(HINT.length)],
  ['with it, on the streaming thread (the same page)', '/runtime-hint.js', RUNTIME],
] as const)
  test(name, async ({ page, site, browserName }) => {
    test.skip(browserName !== 'chromium', "V8's explicit compile hints: Chromium only");
    expect(RUNTIME.startsWith(HINT)).toBe(true);
    site.origin.file(path, body, 'text/javascript');
    const head =
      `<script type="application/json" id="cdn-manifest">${JSON.stringify(site.manifest())}</script>\n` +
      `<script data-manifest="#cdn-manifest">${BOOT}</script>\n<script async src="${path}"></script>`;
    const imgs = Array.from({ length: 6 }, (_, i) => `<img id="i${i}" data-cdn-src="/images/${i}.png" alt="">`).join('\n');
    site.origin.file('/page.html', `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${imgs}</body></html>`);
    const browser = page.context().browser()!;
    await traceCompiles(browser, page);
    await page.goto(site.origin.url + '/page.html', { waitUntil: 'commit' });
    await settled(page, 6);
    const n = await compiles(browser, path);
    expect(n, 'the runtime was streamed and ran').toBeTruthy();
    if (path === '/runtime-nohint.js') {
      expect(n!.streamed).toBeLessThan(10);
      expect(n!.lazy).toBeGreaterThanOrEqual(10);
    } else {
      expect(n!.streamed).toBeGreaterThan(100);
      expect(n!.lazy).toBeLessThan(10);
    }
  });
