// Leaving a page while its pings are in flight (a user who follows a link before the first probe
// round answered): the browser cancels the pings, which proves nothing about the edges, so the next
// page must find them as they were, up, and load from the edge whose copies the HTTP cache holds.
import { test, expect, settled, imageSources } from './fixtures.js';

const images = (n: number) => Array.from({ length: n }, (_, i) => `<img id="i${i}" data-cdn-src="/images/${i}.png" alt="">`).join('');

for (const type of ['image', 'fetch'] as const)
  test(`a ping cancelled by leaving the page does not take its edge down (${type} probe)`, async ({ page, site }) => {
    // Pings take 3 s to answer, well within their 10 s timeout: the page is left before any answers.
    for (const e of site.edges) await e.set({ fault: 'slow', delay: 3000 }, '/cdn-probe');
    const manifest = site.manifest({ probe: { type, timeout: 10000, interval: 60000 } });
    await site.open(images(2), { manifest, path: '/one.html' });
    expect((await settled(page, 2)).map((e) => e.source)).toEqual(['a', 'a']);
    // Every edge's ping has reached its server and is waiting for its answer.
    for (const e of site.edges) await e.waitFor((p) => p.includes('cdn-probe='));
    await site.open(images(2), { manifest, path: '/two.html' });
    expect((await settled(page, 2)).map((e) => e.source)).toEqual(['a', 'a']);
    expect(await imageSources(page, site)).toEqual(['a', 'a']);
    // What the first page saved of each edge, if anything (1: up): none of them down.
    const health = await page.evaluate(() => JSON.parse(localStorage.getItem('cdn-loader:health') || '{}') as Record<string, [number]>);
    expect(Object.fromEntries(site.edges.map((e) => [e.name, health[e.url]?.[0] ?? 1]))).toEqual({ a: 1, b: 1, c: 1 });
  });
