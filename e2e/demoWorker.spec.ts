// The demo's service worker page (/worker.html), driven as a person would: once the worker controls the
// page, break the edge that served it, press the button, and the code-split chunk, its stylesheet and
// its font arrive from another source.
import { test, expect } from '@playwright/test';
import { startDemo, type Demo } from '../demo/server.js';

let demo: Demo;
test.beforeEach(async () => {
  demo = await startDemo();
});
test.afterEach(async () => {
  await demo.close();
});

test('worker demo: break the edge that served the page, load the chunk, it comes from the next source', async ({ page }) => {
  await page.goto(demo.url + 'worker.html');
  await expect(page.locator('#sw-state')).toContainText('controls this page', { timeout: 15000 });
  await page.reload();
  await expect(page.locator('#sw-state')).toContainText('controls this page');
  await page.waitForFunction(() => document.documentElement.dataset.app === 'ready');
  const entry = demo.edges.find((e) => e.server.hits((p) => /^\/assets\/index-.*\.js$/.test(p)).length);
  expect(entry, 'an edge served the entry chunk').toBeTruthy();
  await page.getByRole('button', { name: 'refuse' }).nth(demo.edges.indexOf(entry!)).click();
  await expect(page.locator('#sw-out')).toContainText(`${entry!.id}: down`);
  await page.getByRole('button', { name: 'load the code-split chunk' }).click();
  await expect(page.locator('#sw-out')).toContainText('module instances = 1, fonts loaded = 1');
  const text = await page.locator('#sw-out').textContent();
  const lazy = text!.split('\n').find((l) => /\/assets\/lazy-.*\.js/.test(l))!;
  expect(lazy).toMatch(/← (origin|edge-[abc])/);
  expect(lazy).not.toContain(entry!.id);
});
