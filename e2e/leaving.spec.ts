// Leaving a page while its pings are in flight (a user who follows a link before a probe round has
// answered): the pings are cancelled, which proves nothing about the edges, so the next page must find them
// as the last answers left them, up, and load from the edge whose copies the HTTP cache holds.
// (`npm run bench` §9 once dropped its servers' connections under an open page: a reset is a failed ping,
// and the next page moved to the origin. Leaving is not that.)
import { test, expect, settled, imageSources, probed, images } from './fixtures.js';

for (const type of ['image', 'fetch'] as const)
  test(`a ping cancelled by leaving the page does not take its edge down (${type} probe)`, async ({ page, site, browserName }) => {
    // Firefox ESR fails pings that leaving the page cancels (the image's error event, the fetch's rejection),
    // before pagehide and while the page is still visible: the runtime takes those edges down and the next
    // page moves off them (1 to 3 runs in 8 here). An open bug; a flag set on pagehide, or on hidden, did not
    // catch it (2026-12-02). Chromium cancels them silently.
    test.skip(browserName === 'firefox', 'Firefox fails the pings that leaving a page cancels: an open bug (see the comment)');
    const manifest = site.manifest({ probe: { type, timeout: 10000, interval: 60000 } });
    await site.open(images(2), { manifest, path: '/one.html' });
    expect((await settled(page, 2)).map((e) => e.source)).toEqual(['a', 'a']);
    // The first round answers: every edge is saved up.
    await probed(page, site.edges.map((e) => e.name));
    // A second round takes 3 s to answer, well within the 10 s timeout: the page is left before it does.
    for (const e of site.edges) await e.set({ fault: 'slow', delay: 3000 }, '/cdn-probe');
    const before = site.edges.map((e) => e.probes().length);
    await page.evaluate(() => void window.CDNLoader!.probe());
    for (const [i, e] of site.edges.entries()) await e.waitFor(() => e.probes().length > before[i]);
    await site.open(images(2), { manifest, path: '/two.html' });
    expect((await settled(page, 2)).map((e) => e.source)).toEqual(['a', 'a']);
    expect(await imageSources(page, site)).toEqual(['a', 'a']);
    // What the first page saved of each edge (1: up), read before this page's own pings answer.
    const health = await page.evaluate(() => JSON.parse(localStorage.getItem('cdn-loader:health') || '{}') as Record<string, [number]>);
    expect(Object.fromEntries(site.edges.map((e) => [e.name, health[e.url]?.[0]]))).toEqual({ a: 1, b: 1, c: 1 });
  });
