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
