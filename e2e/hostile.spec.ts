// Hostile page conditions: storage missing, throwing or full; no document.currentScript (the loader
// inserted by another script); a manifest URL that answers HTML, 404 or nothing; the loader included
// twice. Whatever the page does, nothing is lost, nothing is thrown into the page, and no resource is
// fetched twice from one source.
import type { Page } from '@playwright/test';
import { test, expect, events, images, imageSources, uncaught as watchUncaught, type Site } from './fixtures.js';

/** Four images, a stylesheet and two scripts: seven registered resources. */
const BODY = images(4) + '\n<link id="css" rel="stylesheet" data-cdn-href="/css/site.css">\n<script data-cdn-src="/js/one.js"></script>\n<script data-cdn-src="/js/two.js"></script>';
const RESOURCES = 7;

/** Collects uncaught exceptions and console messages of the page. */
function watch(page: Page) {
  const uncaught = watchUncaught(page);
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    if (m.type() === 'warning') warnings.push(m.text());
  });
  return { uncaught, errors, warnings };
}

/** Waits until every resource of BODY is on the page: images decoded, the stylesheet applied, both scripts run. */
async function allShown(page: Page, timeout = 15000): Promise<void> {
  await page.waitForFunction(
    () =>
      Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0) &&
      getComputedStyle(document.documentElement).getPropertyValue('--site').trim() === '1' &&
      ((window as unknown as { __ran?: string[] }).__ran ?? []).length >= 2,
    undefined,
    { timeout },
  );
}

/** Where the stylesheet and the scripts came from, by server name. */
async function otherSources(page: Page, site: Site): Promise<string[]> {
  const urls = await page.evaluate(() => [
    (document.getElementById('css') as HTMLLinkElement).href,
    ...Array.from(document.querySelectorAll('script[src]'))
      .map((s) => (s as HTMLScriptElement).src)
      .filter((u) => /\/js\/(one|two)\.js$/.test(u)),
  ]);
  return urls.map((u) => [site.origin, ...site.edges].find((s) => u.startsWith(s.url + '/'))?.name ?? u);
}

/** Every resource requested at most once per server, and the scripts ran once, in order. */
async function onceEach(page: Page, site: Site): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran)).toEqual(['one', 'two']);
  for (const s of [site.origin, ...site.edges]) {
    const paths = s.hits((p) => /^\/(images|css|js)\//.test(p));
    expect(paths.length, `${s.name} asked twice for one resource: ${paths}`).toBe(new Set(paths).size);
  }
}

/** Serves a page whose whole HTML the test writes (no loader tag added) and opens it. */
/** Edge a alone: where a test expects everything from a, probes cannot have moved it to a faster edge. */
const oneEdge = (site: Site) => site.manifest({ edges: [{ id: 'a', url: site.a.url }] });

async function openRaw(page: Page, site: Site, html: string, manifest: object = oneEdge(site)): Promise<void> {
  site.origin.file('/cdn-manifest.json', JSON.stringify(manifest), 'application/json');
  site.origin.file('/raw.html', `<!doctype html><html><head><meta charset="utf-8"><title>raw</title>${html}`, 'text/html; charset=utf-8');
  await page.goto(site.origin.url + '/raw.html');
}

test.describe('storage', () => {
  const cases: [string, () => void, string][] = [
    [
      'localStorage missing',
      () => {
        Object.defineProperty(window, 'localStorage', { value: undefined, configurable: true });
      },
      'missing',
    ],
    [
      'localStorage access throwing (blocked)',
      () => {
        Object.defineProperty(window, 'localStorage', {
          configurable: true,
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        });
      },
      'throws',
    ],
    [
      'getItem and setItem throwing',
      () => {
        Storage.prototype.getItem = () => {
          throw new DOMException('denied', 'SecurityError');
        };
        Storage.prototype.setItem = () => {
          throw new DOMException('denied', 'SecurityError');
        };
      },
      'throws',
    ],
    [
      'getItem returning junk',
      () => {
        Storage.prototype.getItem = () => '{not json';
      },
      'junk',
    ],
  ];
  for (const [name, hostile, expected] of cases)
    test(`${name}: two pages in a row lose nothing and throw nothing`, async ({ page, site }) => {
      const seen = watch(page);
      await page.addInitScript(hostile);
      await site.b.set({ fault: 'refuse' });
      await site.open(BODY, { manifest: site.manifest({ edges: [{ id: 'b', url: site.b.url }, { id: 'a', url: site.a.url }] }) });
      await allShown(page);
      // The condition is really in force.
      expect(
        await page.evaluate(() => {
          try {
            if (window.localStorage === undefined) return 'missing';
            localStorage.setItem('cdn-loader:hostile-check', '1');
            return localStorage.getItem('cdn-loader:hostile-check') === '{not json' ? 'junk' : 'works';
          } catch {
            return 'throws';
          }
        }),
      ).toBe(expected);
      // Edge b is dead: everything moved to a, nothing was lost.
      expect(await imageSources(page, site)).toEqual(['a', 'a', 'a', 'a']);
      expect(await otherSources(page, site)).toEqual(['a', 'a', 'a']);
      await onceEach(page, site);
      await page.reload();
      await allShown(page);
      expect((await imageSources(page, site)).every((s) => s === 'a')).toBe(true);
      expect(await events(page, 'cdn:error')).toEqual([]);
      expect(seen.uncaught).toEqual([]);
      expect(seen.errors.filter((e) => /could not|is not valid JSON/.test(e))).toEqual([]);
    });

  test('localStorage full: the manifest and health cannot be saved, and nothing is lost', async ({ page, site }) => {
    const seen = watch(page);
    // Fill the origin's real storage to its quota before the loader runs.
    await page.addInitScript(() => {
      // Firefox runs init scripts in the first about:blank too, where localStorage throws SecurityError.
      if (location.protocol !== 'http:' || localStorage.getItem('fill:done')) return;
      let size = 1 << 20;
      let i = 0;
      while (size >= 16 && i < 100000) {
        try {
          localStorage.setItem('fill:' + i++, 'x'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
      try {
        localStorage.setItem('fill:done', '1');
      } catch {
        // Full: the filler keys themselves mark the storage as filled.
      }
    });
    await site.a.set({ fault: 'refuse' });
    await site.open(BODY);
    await allShown(page);
    // Full indeed: not even a few bytes fit.
    expect(
      await page.evaluate(() => {
        try {
          localStorage.setItem('fill:probe', 'x'.repeat(64));
          return 'room left';
        } catch (e) {
          return (e as DOMException).name;
        }
      }),
    ).toBe('QuotaExceededError');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('cdn-loader')))).toEqual([]);
    expect((await imageSources(page, site)).every((s) => s === 'b')).toBe(true);
    await onceEach(page, site);
    await page.reload();
    await allShown(page);
    expect(await events(page, 'cdn:error')).toEqual([]);
    expect(seen.uncaught).toEqual([]);
  });
});

test.describe('document.currentScript', () => {
  test('null: the loader still finds its tag and applies the manifest', async ({ page, site }) => {
    const seen = watch(page);
    await page.addInitScript(() => {
      Object.defineProperty(Document.prototype, 'currentScript', { configurable: true, get: () => null });
    });
    await site.open(BODY, { manifest: oneEdge(site) });
    await allShown(page);
    expect(await imageSources(page, site)).toEqual(['a', 'a', 'a', 'a']);
    expect(await otherSources(page, site)).toEqual(['a', 'a', 'a']);
    await onceEach(page, site);
    expect(seen.uncaught).toEqual([]);
  });

  test('the loader inserted by another script after the page was parsed: every resource already there is taken', async ({ page, site }) => {
    const seen = watch(page);
    await openRaw(
      page,
      site,
      `<script>addEventListener('DOMContentLoaded', () => {
        const s = document.createElement('script');
        s.src = '/cdn-loader.js';
        s.setAttribute('data-manifest', '/cdn-manifest.json');
        document.head.appendChild(s);
      });</script></head><body>${BODY}</body></html>`,
    );
    await allShown(page);
    expect(await imageSources(page, site)).toEqual(['a', 'a', 'a', 'a']);
    expect(await otherSources(page, site)).toEqual(['a', 'a', 'a']);
    await onceEach(page, site);
    expect(seen.uncaught).toEqual([]);
  });

  test('inserted from a timer with currentScript null and an inline manifest: nothing lost', async ({ page, site }) => {
    const seen = watch(page);
    await page.addInitScript(() => {
      Object.defineProperty(Document.prototype, 'currentScript', { configurable: true, get: () => null });
    });
    // One edge: probes answering before the elements are bound cannot move them to a faster edge.
    const inline = JSON.stringify(site.manifest({ edges: [{ id: 'a', url: site.a.url }] }));
    await openRaw(
      page,
      site,
      `<script>setTimeout(() => {
        const s = document.createElement('script');
        s.src = '/cdn-loader.js';
        s.setAttribute('data-manifest', ${JSON.stringify(inline)});
        document.head.appendChild(s);
      }, 0);</script></head><body>${BODY}</body></html>`,
    );
    await allShown(page);
    expect(await imageSources(page, site)).toEqual(['a', 'a', 'a', 'a']);
    await onceEach(page, site);
    expect(site.origin.hits((p) => p.startsWith('/cdn-manifest'))).toEqual([]);
    expect(seen.uncaught).toEqual([]);
  });
});

test.describe('the manifest URL', () => {
  // A long manifest timeout: these must not wait for it (a wait would time the test out).
  const tag = 'data-manifest="/cdn-manifest.json" data-manifest-timeout="60000"';
  for (const [name, serve] of [
    ['answers HTML with status 200', (site: Site) => site.origin.file('/cdn-manifest.json', '<!doctype html><title>Not found</title><h1>Oops</h1>', 'text/html')],
    ['answers 404 with an HTML body', (site: Site) => site.origin.set({ fault: 'status', status: 404 }, '/cdn-manifest.json')],
    ['answers 500', (site: Site) => site.origin.set({ fault: 'status', status: 500 }, '/cdn-manifest.json')],
    ['answers JSON that is not an object', (site: Site) => site.origin.file('/cdn-manifest.json', '[1, 2, 3]', 'application/json')],
  ] as const)
    test(`${name}: at once, everything from the origin, one console.error, nothing thrown`, async ({ page, site }) => {
      const seen = watch(page);
      await serve(site);
      await site.open(BODY, { manifest: null, tag });
      await allShown(page);
      expect(await imageSources(page, site)).toEqual(['origin', 'origin', 'origin', 'origin']);
      expect(await otherSources(page, site)).toEqual(['origin', 'origin', 'origin']);
      await onceEach(page, site);
      for (const e of site.edges) expect(e.log).toEqual([]);
      expect(seen.errors.filter((e) => e.startsWith('cdn-loader:'))).toHaveLength(1);
      expect(seen.uncaught).toEqual([]);
    });

  test('hangs: resources wait at most data-manifest-timeout, then load from the origin', async ({ page, site }) => {
    const seen = watch(page);
    await site.origin.set({ fault: 'blackhole' }, '/cdn-manifest.json');
    await site.open(BODY, { tag: 'data-manifest="/cdn-manifest.json" data-manifest-timeout="300"' });
    await allShown(page);
    expect(await imageSources(page, site)).toEqual(['origin', 'origin', 'origin', 'origin']);
    expect(await otherSources(page, site)).toEqual(['origin', 'origin', 'origin']);
    await onceEach(page, site);
    for (const e of site.edges) expect(e.hits()).toEqual([]);
    expect(seen.errors.some((e) => e.includes('300 ms'))).toBe(true);
    expect(seen.uncaught).toEqual([]);
  });
});

test.describe('included twice', () => {
  test('two identical tags: one loader, one cdn:ready, each resource once, a warning', async ({ page, site }) => {
    const seen = watch(page);
    await site.open(BODY, { manifest: oneEdge(site), head: '<script src="/cdn-loader.js" data-manifest="/cdn-manifest.json"></script>' });
    await allShown(page);
    expect(await imageSources(page, site)).toEqual(['a', 'a', 'a', 'a']);
    await onceEach(page, site);
    expect(await events(page, 'cdn:ready')).toHaveLength(1);
    expect((await events(page, 'cdn:load')).length).toBe(RESOURCES);
    expect(seen.warnings.some((w) => w.startsWith('cdn-loader:') && /twice/.test(w))).toBe(true);
    expect(seen.uncaught).toEqual([]);
  });

  test('a second copy with another manifest, added later: the first one stays in charge', async ({ page, site }) => {
    const seen = watch(page);
    site.origin.file('/other-manifest.json', JSON.stringify(site.manifest({ edges: [{ id: 'c', url: site.c.url }] })), 'application/json');
    // Only edge a in the first manifest: in always mode, probes could otherwise move later images to a faster edge.
    await site.open(BODY, { manifest: oneEdge(site) });
    await allShown(page);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.src = '/cdn-loader.js?copy=2';
      s.setAttribute('data-manifest', '/other-manifest.json');
      document.head.appendChild(s);
      for (let i = 0; i < 2; i++) {
        const img = document.createElement('img');
        img.id = 'late' + i;
        img.setAttribute('data-cdn-src', `/images/late${i}.png`);
        document.body.appendChild(img);
      }
    });
    // The second copy has run once it warned.
    await expect.poll(() => seen.warnings.some((w) => w.startsWith('cdn-loader:') && /twice/.test(w))).toBe(true);
    await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0));
    await expect.poll(() => page.evaluate(() => Array.from(document.images).length)).toBe(6);
    expect(await imageSources(page, site)).toEqual(Array(6).fill('a'));
    await onceEach(page, site);
    expect(site.c.hits()).toEqual([]);
    expect(site.origin.hits((p) => p === '/other-manifest.json')).toEqual([]);
    expect(await events(page, 'cdn:ready')).toHaveLength(1);
    expect(seen.uncaught).toEqual([]);
  });
});
