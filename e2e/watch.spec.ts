// Watching the page on long-lived and component-based sites: re-renders that re-set the same
// data-cdn-* value, theme switchers' disabled stylesheets, shadow roots, view swaps (issue 12,
// cases 6, 7, 9, 10).
import type { Page } from '@playwright/test';
import { test, expect, events, settled, images, type Site } from './fixtures.js';

/**
 * Resolves once `ms` have passed for the page, measured by the page itself: an image the origin
 * answers `ms` later has arrived (an unregistered path, so the loader leaves it alone). Used where a
 * test asserts that something did NOT happen by a deadline.
 */
async function pastDeadline(page: Page, site: Site, ms: number): Promise<void> {
  const path = `/other/wait-${ms}-${Date.now()}.png`;
  await site.origin.set({ fault: 'slow', delay: ms }, path);
  await page.evaluate(
    (url) =>
      new Promise((resolve) => {
        const img = new Image();
        img.onload = img.onerror = resolve;
        img.src = url;
      }),
    site.origin.url + path,
  );
}

/** The report's rows as plain data: path, state and source. */
const report = (page: Page) =>
  page.evaluate(() => window.CDNLoader!.report().map((r) => ({ path: r.path, state: r.state, source: r.source })));

const DEADLINE = 2000;

test.describe('re-setting the same value (case 6)', () => {
  test('the same data-cdn-src set again on loaded images, eager and lazy: no request, no health change', async ({ page, site }) => {
    const body = `${images(2)}
<img id="lazy" loading="lazy" data-cdn-src="/images/lazy.png">
<picture><source id="ps" data-cdn-srcset="/images/p.webp" type="image/webp"><img id="pic" data-cdn-src="/images/p.png"></picture>`;
    await site.open(body, { manifest: site.manifest({ failover: { timeout: DEADLINE } }) });
    await settled(page, 4);
    const before = site.counts('/images/');
    // What a framework's re-render or jQuery's .attr() does: the same value written again.
    await page.evaluate(() => {
      for (const el of Array.from(document.querySelectorAll('[data-cdn-src],[data-cdn-srcset]')))
        for (const a of ['data-cdn-src', 'data-cdn-srcset']) if (el.hasAttribute(a)) el.setAttribute(a, el.getAttribute(a)!);
    });
    await pastDeadline(page, site, DEADLINE + 500);
    expect(site.counts('/images/')).toEqual(before);
    expect(await events(page, 'cdn:fallback')).toEqual([]);
    expect((await events(page, 'cdn:edge')).filter((e) => e.state === 'down')).toEqual([]);
    expect(await events(page, 'cdn:load')).toHaveLength(4);
    // One row per resource, every one loaded: no second chain was started.
    const rows = await report(page);
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.state).toBe('loaded');

    // A value that does change still loads the new URL (from whichever edge is the fastest by now).
    await page.evaluate(() => document.getElementById('lazy')!.setAttribute('data-cdn-src', '/images/lazy2.png'));
    const loads = await settled(page, 5);
    expect(loads[4]).toMatchObject({ el: 'lazy', type: 'cdn:load' });
    expect(site.counts('/images/lazy2.png')).toMatchObject({ origin: 0, [loads[4].source!]: 1 });
  });
});

test.describe('disabled stylesheets (case 7)', () => {
  const css = (id: string) => `<link id="${id}" rel="stylesheet" disabled data-cdn-href="/css/${id}.css">`;
  const applied = (page: Page, id: string) => page.evaluate((id) => getComputedStyle(document.documentElement).getPropertyValue('--' + id).trim(), id);

  test('a disabled stylesheet is not timed while disabled, and loads from the edge once enabled', async ({ page, site }) => {
    await site.open(css('dark') + images(1), { manifest: site.manifest({ edges: [{ id: 'a', url: site.a.url }], failover: { timeout: DEADLINE } }) });
    await settled(page, 1);
    await pastDeadline(page, site, DEADLINE + 500);
    expect(await events(page, 'cdn:fallback')).toEqual([]);
    expect((await events(page, 'cdn:edge')).filter((e) => e.state === 'down')).toEqual([]);
    expect(site.counts('/css/')).toEqual({ origin: 0, a: 0, b: 0, c: 0 });
    expect((await report(page)).find((r) => r.path === '/css/dark.css')?.state).toBe('loading');

    // The theme switcher turns it on.
    await page.evaluate(() => ((document.getElementById('dark') as HTMLLinkElement).disabled = false));
    const loads = await settled(page, 2);
    expect(loads[1]).toMatchObject({ el: 'dark', source: 'a' });
    expect(await applied(page, 'dark')).toBe('1');
    expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });
    expect(await events(page, 'cdn:fallback')).toEqual([]);
  });

  test('once enabled, a stylesheet on a hanging edge is timed from then on and fails over', async ({ page, site }) => {
    await site.a.set({ fault: 'blackhole' }, '/css/');
    await site.open(css('hang') + images(1), { manifest: site.manifest({ failover: { timeout: DEADLINE } }) });
    await settled(page, 1);
    await pastDeadline(page, site, DEADLINE + 500);
    expect(await events(page, 'cdn:fallback')).toEqual([]);
    await page.evaluate(() => document.getElementById('hang')!.removeAttribute('disabled'));
    const loads = await settled(page, 2);
    expect(loads[1]).toMatchObject({ el: 'hang' });
    expect(loads[1].source).not.toBe('a');
    expect(await events(page, 'cdn:fallback')).toEqual([expect.objectContaining({ el: 'hang', from: 'a', reason: 'timeout' })]);
    expect(await applied(page, 'hang')).toBe('1');
  });
});

test.describe('shadow DOM (case 9)', () => {
  // A web component whose open shadow root holds a registered image; it adds a second one a task
  // after it is connected (as components that render asynchronously do).
  const component = `<script>
customElements.define('x-card', class extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const img = document.createElement('img');
    img.id = this.id + '-img';
    img.setAttribute('data-cdn-src', '/images/' + this.id + '.png');
    root.append(img);
  }
  connectedCallback() {
    setTimeout(() => {
      const img = document.createElement('img');
      img.id = this.id + '-later';
      img.setAttribute('data-cdn-src', '/images/' + this.id + '-later.png');
      this.shadowRoot.append(img);
    });
  }
});
</script>`;

  test('declarative shadow roots and web components: their registered resources load from the edge', async ({ page, site }) => {
    const body = `
<div id="host"><template shadowrootmode="open">
  <link id="shadow-css" rel="stylesheet" data-cdn-href="/css/shadow.css">
  <img id="dsd" data-cdn-src="/images/dsd.png">
  <picture><source data-cdn-srcset="/images/dsd-pic.webp" type="image/webp"><img id="dsd-pic" data-cdn-src="/images/dsd-pic.png"></picture>
  <div id="inner"><template shadowrootmode="open"><img id="nested" data-cdn-src="/images/nested.png"></template></div>
</template></div>
<x-card id="card1"></x-card>
${component}`;
    const one = { edges: [{ id: 'a', url: site.a.url }] };
    await site.open(body, { manifest: site.manifest(one) });
    // dsd, dsd-pic, nested, the stylesheet, card1's two images.
    await settled(page, 6);
    // A component created by a script once the page is up.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<x-card id="card2"></x-card>'));
    const loads = await settled(page, 8);
    expect(Object.fromEntries(loads.map((e) => [e.el, e.source]))).toEqual({
      dsd: 'a',
      'dsd-pic': 'a',
      nested: 'a',
      'shadow-css': 'a',
      'card1-img': 'a',
      'card1-later': 'a',
      'card2-img': 'a',
      'card2-later': 'a',
    });
    const shown = await page.evaluate(() => {
      const roots = [document.getElementById('host')!.shadowRoot!, document.getElementById('card1')!.shadowRoot!, document.getElementById('card2')!.shadowRoot!];
      roots.push(roots[0].getElementById('inner')!.shadowRoot!);
      return roots.flatMap((r) => Array.from(r.querySelectorAll('img')).map((i) => i.complete && i.naturalWidth > 0));
    });
    expect(shown).toEqual(Array(7).fill(true));
    expect(site.counts('/images/').origin).toBe(0);
    expect(site.counts('/css/')).toEqual({ origin: 0, a: 1, b: 0, c: 0 });

    // A new value inside a shadow root is seen too.
    await page.evaluate(() => document.getElementById('card1')!.shadowRoot!.getElementById('card1-img')!.setAttribute('data-cdn-src', '/images/card1-new.png'));
    const more = await settled(page, 9);
    expect(more[8]).toMatchObject({ el: 'card1-img', source: 'a' });
    expect(more[8].url).toBe(site.a.url + '/images/card1-new.png');
  });

  test('a component defined after the page parsed (a module script) gets its shadow resources loaded', async ({ page, site }) => {
    const late = component.replace('<script>', '<script type="module">');
    await site.open(`<x-card id="m1"></x-card><x-card id="m2"></x-card>${late}`, { manifest: site.manifest({ edges: [{ id: 'a', url: site.a.url }] }) });
    const loads = await settled(page, 4);
    expect(loads.map((e) => `${e.el}:${e.source}`).sort()).toEqual(['m1-img:a', 'm1-later:a', 'm2-img:a', 'm2-later:a']);
  });
});

test.describe('long-lived apps (case 10)', () => {
  test('50 view swaps of 30 images and 2,000 nodes: no detached element stays alive', async ({ page, site }) => {
    test.setTimeout(60000);
    await site.open('<main id="view"></main>');
    const swaps = (from: number, to: number) =>
      page.evaluate(
        async ([from, to]) => {
          for (let v = from; v < to; v++) {
            const loaded = new Promise<void>((resolve) => {
              let n = 0;
              const stop = window.CDNLoader!.on('load', (d) => {
                if (d.element.getAttribute('data-cdn-src')!.startsWith(`/images/v${v}-`) && ++n === 30) {
                  stop();
                  resolve();
                }
              });
            });
            // 2,000 nodes: 30 images among 1,970 others.
            const view = document.createElement('section');
            for (let i = 0; i < 985; i++) {
              const p = document.createElement('p');
              if (i % 33 === 0 && i / 33 < 30) {
                const img = document.createElement('img');
                img.setAttribute('data-cdn-src', `/images/v${v}-${i / 33}.png`);
                p.append(img);
              } else p.append('text');
              view.append(p);
            }
            document.getElementById('view')!.replaceChildren(view);
            await loaded;
          }
        },
        [from, to],
      );
    test.skip(page.context().browser()?.browserType().name() !== 'chromium', 'the heap check needs the Chromium DevTools Protocol (HeapProfiler, Memory)');
    const cdp = await page.context().newCDPSession(page);
    const nodes = async () => {
      for (let i = 0; i < 2; i++) await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Memory.getDOMCounters')).nodes;
    };
    await swaps(0, 1);
    const one = await nodes();
    await swaps(1, 50);
    const fifty = await nodes();
    // One view is ~2,000 nodes: after 49 more swaps, less than one more view may stay alive.
    expect(fifty - one).toBeLessThan(1000);
    expect(await events(page, 'cdn:load')).toHaveLength(1500);
    // The report still describes what loaded (the latest 1,000 resources).
    const rows = await page.evaluate(() => window.CDNLoader!.report().map((r) => ({ path: r.path, state: r.state })));
    expect(rows).toHaveLength(1000);
    expect(rows[999]).toEqual({ path: '/images/v49-29.png', state: 'loaded' });
  });
});
