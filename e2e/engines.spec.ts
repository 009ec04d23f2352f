// Behaviours where the engines differ, pinned down in each (see docs/browsers.md and e2e/known.ts).
import { test, expect, images } from './fixtures.js';

test("a probe of a hanging edge does not hold the page's load event", async ({ page, site }) => {
  // The first page learns that edge a is down; then a starts to hang, and the next page probes it again.
  await site.a.set({ fault: 'refuse' });
  // A probe timeout longer than the wait below: a probe that holds the load event fails the test in
  // every engine, not only where removing its src does not help (WebKit).
  await site.open(images(2), { manifest: site.manifest({ probe: { timeout: 30000, interval: 60000 } }) });
  await page.waitForFunction(() => window.CDNLoader!.edges()[0]?.state === 'down');
  await site.a.set({ fault: 'blackhole' });
  await page.reload({ waitUntil: 'domcontentloaded' });
  await site.a.waitFor((p) => p.includes('cdn-probe='));
  // The probe never gets an answer: the page's load event must come all the same.
  await page.waitForFunction(() => document.readyState === 'complete', undefined, { timeout: 10000 });
  expect(site.a.inflight()).toBeGreaterThan(0);
});

test('a stylesheet of a media that does not match is fetched while another stylesheet hangs, and neither holds an image', async ({ page, site }) => {
  // Why the loader cannot keep a hanging edge's stylesheet from holding a Firefox page's images (a
  // matching stylesheet or a style preload that waits holds every image and fetch() of the page, e2e/known.ts):
  // a stylesheet loaded under a media that does not match holds nothing, but its hedge, another such
  // stylesheet, must then start while the first one hangs.
  await site.a.set({ fault: 'blackhole' });
  await site.open('', { manifest: null });
  const add = (href: string) =>
    page.evaluate((href) => {
      const l = document.createElement('link');
      l.rel = 'stylesheet';
      l.media = 'not all';
      l.href = href;
      l.onload = () => l.setAttribute('data-loaded', '');
      document.head.append(l);
    }, href);
  await add(site.a.url + '/css/hang.css');
  await site.a.waitFor((p) => p === '/css/hang.css');
  await add(site.b.url + '/css/site.css');
  await page.evaluate((src) => {
    const img = new Image();
    img.id = 'img';
    img.src = src;
    document.body.append(img);
  }, site.c.url + '/images/0.png');
  await page.waitForFunction(() => (document.getElementById('img') as HTMLImageElement).naturalWidth > 0, undefined, { timeout: 10000 });
  await page.waitForFunction(() => !!document.querySelector('link[data-loaded]'), undefined, { timeout: 5000 });
  expect(site.b.hits()).toEqual(['/css/site.css']);
});
