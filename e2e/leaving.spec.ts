// Leaving a page while its pings are in flight (a user who follows a link before a probe round has
// answered): the pings are cancelled, which proves nothing about the edges, so the next page must find them
// as the last answers left them, up, and load from the edge whose copies the HTTP cache holds.
// (`npm run bench` §9 once dropped its servers' connections under an open page: a reset is a failed ping,
// and the next page moved to the origin. Leaving is not that.)
import { test, expect, settled, imageSources, probed, images } from './fixtures.js';

for (const type of ['image', 'fetch'] as const)
  test(`a ping cancelled by leaving the page does not take its edge down (${type} probe)`, async ({ page, site }) => {
    const manifest = site.manifest({ probe: { type, timeout: 10000, interval: 60000 } });
    // Edges b and c answer the first round 1 s late, so that edge a stays the clearly fastest whatever up to a
    // second a loaded machine adds to one ping: the next page keeps a because it is faster, and any move is a lost
    // edge. (With equal edges, one ping measured late on a, e.g. 333 ms against b's 24 ms under four Firefox
    // workers on two cores, moves the next page to b, `pickFastest` remembering one ping: that, not the pings'
    // cancellation, failed this test in Firefox.)
    for (const e of [site.b, site.c]) await e.set({ fault: 'slow', delay: 1000 }, '/cdn-probe');
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
