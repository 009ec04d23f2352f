// Failure-detector cases that run both on Node's servers (e2e/detector.spec.ts) and on the real nginx
// over HTTP/2 (e2e/nginxH2.spec.ts): the page's part and the checks, once; each spec sets up its edges.
import type { Page } from '@playwright/test';
import { expect, events, settled, type SeenEvent } from './fixtures.js';

/**
 * Genuine 404s (case 3), on a page already open: a feed adds 10 images every 500 ms, 1 in 10
 * (`/images/missing<batch>.png`) missing on every server. The misses are the assets' fault: every
 * existing image comes from an edge, no edge goes down.
 */
export async function feedWith404s(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let batch = 0; batch < 8; batch++) {
      for (let i = 0; i < 10; i++) {
        const img = document.createElement('img');
        img.setAttribute('data-cdn-src', i === 9 ? `/images/missing${batch}.png` : `/images/f${batch}-${i}.png`);
        document.body.appendChild(img);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  const done = await settled(page, 80);
  const ok = done.filter((e) => e.type === 'cdn:load');
  expect(ok).toHaveLength(72);
  expect(ok.filter((e) => e.source === 'origin')).toEqual([]);
  expect(done.filter((e) => e.type === 'cdn:error')).toHaveLength(8);
  expect(await events(page, 'cdn:edge')).toEqual([]);
}

/**
 * One stuck object on a busy edge (case 4), on a page already open with `<img id="stuck">` on edge a:
 * a new image from edge a every 200 ms until the stuck one has moved, for at most 15 s. It moves to
 * edge b on its deadline, though edge a keeps finishing the others.
 */
export async function stuckOnBusyEdge(page: Page): Promise<void> {
  const added = await page.evaluate(async () => {
    const w = window as unknown as { __events: SeenEvent[] };
    for (let i = 0; i < 75; i++) {
      if (w.__events.some((e) => e.type === 'cdn:load' && e.el === 'stuck')) return i;
      const img = document.createElement('img');
      img.setAttribute('data-cdn-src', `/images/busy${i}.png`);
      document.body.appendChild(img);
      await new Promise((r) => setTimeout(r, 200));
    }
    return -1;
  });
  expect(added).toBeGreaterThan(0);
  expect((await events(page, 'cdn:fallback')).filter((e) => e.el === 'stuck')).toEqual([expect.objectContaining({ from: 'a', to: 'b', reason: 'timeout' })]);
  expect((await events(page, 'cdn:load')).find((e) => e.el === 'stuck')?.source).toBe('b');
}
