// Large manifests (issue 12, case 11): thousands of rules of every kind, first match as documented,
// and binding that does not block the page for long enough to turn healthy loads into timeouts.
import { test, expect, events, settled } from './fixtures.js';

test.describe('large manifests (case 11)', () => {
  test('10,000 rules: 1,000 images load from the edge, each under the rule that wins, without a false timeout', async ({ page, site }) => {
    test.setTimeout(60000);
    // 9,990 rules that match nothing on the page, of every kind, then the ones that decide.
    const filler = Array.from({ length: 3330 }, (_, i) => [`/x/${i}/a.png`, `/x/${i}/*.png`, `/x/${i}/`]).flat();
    const assets = [
      ...filler,
      // Exact beats glob beats prefix; the longer pattern wins; among equals, the first written.
      { path: '/img/off/exact.png', mode: 'off' },
      { path: '/img/off/exact.png', mode: 'always' },
      { path: '/img/**.png', mode: 'always' },
      { path: '/img/glob/*.png', mode: 'off' },
      { path: '/img/', mode: 'off' },
      { path: '/img/deep/', mode: 'always' },
      { path: '/img/deep/er/', mode: 'off' },
      '/many/',
      '/**/x.gif',
      '/y/*/z.gif',
    ];
    expect(assets).toHaveLength(10000);
    const body = [
      '<img id="exact" data-cdn-src="/img/off/exact.png">',
      '<img id="glob" data-cdn-src="/img/glob/g.png?v=1">',
      '<img id="globstar" data-cdn-src="/img/any/where/g.png">',
      '<img id="prefix" data-cdn-src="/img/plain.gif">',
      '<img id="deep" data-cdn-src="/img/deep/d.gif">',
      '<img id="deeper" data-cdn-src="/img/deep/er/d.gif">',
      '<img id="x" data-cdn-src="/a/b/x.gif">',
      '<img id="z" data-cdn-src="/y/q/z.gif">',
    ].join('\n');
    // One edge, and probes with a long timeout: with equally fast edges `always` follows measured latency
    // (noise on a busy machine), and a late ping would take edge a out; the test is about rules and
    // failover deadlines, not about choosing or probing.
    await site.open(body + '<div id="box"></div>', { manifest: site.manifest({ assets, edges: [{ id: 'a', url: site.a.url }], failover: { timeout: 3000 }, probe: { timeout: 10000, interval: 60000 } }) });
    const first = await settled(page, 8);
    expect(Object.fromEntries(first.map((e) => [e.el, e.source]))).toEqual({
      exact: 'origin',
      glob: 'origin',
      globstar: 'a',
      prefix: 'origin',
      deep: 'a',
      deeper: 'origin',
      x: 'a',
      z: 'a',
    });
    // 1,000 more in one task, as a client-side render does.
    await page.evaluate(() => {
      const frag = document.createDocumentFragment();
      for (let i = 0; i < 1000; i++) {
        const img = document.createElement('img');
        img.setAttribute('data-cdn-src', `/many/${i}.png`);
        frag.append(img);
      }
      document.getElementById('box')!.append(frag);
    });
    const loads = await settled(page, 1008, 45000);
    expect(loads.slice(8).filter((e) => e.type !== 'cdn:load' || e.source !== 'a')).toEqual([]);
    expect(await events(page, 'cdn:fallback')).toEqual([]);
    expect(site.counts('/many/')).toEqual({ origin: 0, a: 1000, b: 0, c: 0 });
  });
});
