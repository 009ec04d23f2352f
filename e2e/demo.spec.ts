// The demo (`npm run demo`), driven as a person would: break an edge with the page's buttons and
// check that every image still shows, that the marks moved, and that the timeline told the story.
// Saves a screenshot of the page as an artifact; `-u` (or a missing docs/demo.png) refreshes the
// one the README shows.
import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo, TILES, type Demo } from '../demo/server.js';

const README_SHOT = fileURLToPath(new URL('../docs/demo.png', import.meta.url));

let demo: Demo;
test.beforeEach(async () => {
  demo = await startDemo();
});
test.afterEach(async () => {
  await demo.close();
});

interface TileView {
  source: string;
  /** Which server the pixels came from, by the image's URL. */
  server: string;
  title: string;
  moved: string;
}

/** Waits until every tile shows its image (loaded, decoded, 80 px wide); returns what each shows. */
async function allShown(page: Page, ok: (tiles: TileView[]) => boolean = () => true, what = 'every image shown'): Promise<TileView[]> {
  let last: TileView[] = [];
  await expect
    .poll(
      async () => {
        last = await page.$$eval('#grid .tile', (tiles) =>
          tiles.map((t) => {
            const img = t.querySelector('img')!;
            const shown = (t as HTMLElement).dataset.state === 'loaded' && img.complete && img.naturalWidth === 80;
            const host = shown ? new URL(img.currentSrc).hostname : '';
            return {
              source: shown ? (t as HTMLElement).dataset.source ?? '' : '',
              server: !shown ? '' : host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : 'origin',
              title: img.title,
              moved: (t as HTMLElement).dataset.moved ?? '',
            };
          }),
        );
        return last.length === TILES && last.every((t) => t.source !== '') && ok(last);
      },
      { message: what, timeout: 15000 },
    )
    .toBe(true);
  // The mark is the truth: the tile's label names the server its pixels came from.
  expect(last.map((t) => t.source)).toEqual(last.map((t) => t.server));
  // Debug is on: edge images say " [CDN]" on hover, the origin's do not.
  for (const t of last) expect(t.title.endsWith(' [CDN]')).toBe(t.source !== 'origin');
  return last;
}

/** Probe requests the server answered in full. */
const answeredProbes = (log: { path: string; status?: number }[]) => log.filter((h) => h.path.includes('cdn-probe=') && h.status !== undefined).length;

/** The page's words and marks say what happened, and nothing that did not. */
async function labels(page: Page): Promise<void> {
  // Edge rows: the badge has the colour of the news (green up, red down); a down edge has no latency.
  const edgeRows = await page.$$eval('#timeline li[data-type="cdn:edge"]', (lis) =>
    lis.map((li) => ({
      text: li.querySelector('.what')!.textContent ?? '',
      badge: getComputedStyle(li.querySelector('.type')!).color,
      news: getComputedStyle(li.querySelector('.what [class^="state-"]')!).color,
    })),
  );
  expect(edgeRows.some((r) => /is up/.test(r.text)) && edgeRows.some((r) => /is down/.test(r.text))).toBe(true);
  for (const r of edgeRows) expect(r.badge, r.text).toBe(r.news);
  for (const r of edgeRows.filter((r) => /is down/.test(r.text))) expect(r.text).not.toMatch(/\d+ ms/);
  // "YOU" marks what the person did; the page's own reloads have a badge of their own.
  const you = await rows(page, 'demo');
  expect(you.length).toBeGreaterThan(0);
  for (const r of you) expect(r).toMatch(/^you:/);
  const auto = await rows(page, 'reload');
  expect(auto).toContainEqual(expect.stringMatching(/^reload #\d+: edge-a is down \(port closed\)/));
  expect(auto).toContainEqual(expect.stringMatching(/^reload #\d+: edge-b hangs/));
  expect(auto).toContainEqual(expect.stringMatching(/^reload #\d+: edge-c is slow \(\+300 ms\)/));
  expect(auto.join('\n')).not.toMatch(/is now/);
  // The chart's scale sits at the top of the chart, where its maximum is; the time span below it.
  const box = (sel: string) => card(page, 'edge-c').locator(sel).boundingBox();
  const [chart, ymax, span] = [await box('.chart'), await box('.ymax'), await box('.span')];
  expect(ymax!.y + ymax!.height / 2).toBeLessThan(chart!.y + chart!.height / 2);
  expect(span!.y).toBeGreaterThanOrEqual(chart!.y + chart!.height - 1);
  expect(await card(page, 'edge-c').locator('.ymax').textContent()).toMatch(/^\d+ ms$/);
}

const reloads = (page: Page) => page.evaluate(() => Number(document.body.dataset.reloads ?? 0));
const rows = (page: Page, type: string) =>
  page.$$eval(`#timeline li[data-type="${type}"]`, (lis) => lis.map((li) => li.querySelector('.what')!.textContent ?? ''));
const card = (page: Page, edge: string) => page.locator(`.card[data-edge="${edge}"]`);

/**
 * How the loader found out that `edge` broke. Usually the images sent to it after the click failed
 * over (`fallback` rows, tiles marked "↪ edge"); but when a probe round fell between the server's
 * change and the page's reload, the probe found it first and no image was sent there at all.
 */
async function caught(page: Page, tiles: TileView[], edge: string, fallback: RegExp): Promise<void> {
  // A reload clears the marks of the tiles it renews: a tile shows "↪ edge" only for a move since the
  // newest reload (the timeline lists the newest first). A probe round that failed every edge and the
  // reloads of their coming back up can fall after the move (seen in Firefox while edge-b holds requests).
  const since = await page.$$eval('#timeline li[data-type]', (lis) => {
    const out: string[] = [];
    for (const li of lis as HTMLElement[]) {
      if (li.dataset.type === 'reload') break;
      if (li.dataset.type === 'cdn:fallback') out.push(li.querySelector('.what')!.textContent ?? '');
    }
    return out;
  });
  if (since.some((r) => fallback.test(r))) expect(tiles.some((t) => t.moved.startsWith(`↪ ${edge} `))).toBe(true);
  else if (!(await rows(page, 'cdn:fallback')).some((r) => fallback.test(r)))
    expect(await rows(page, 'cdn:probe')).toContainEqual(expect.stringMatching(new RegExp(`${edge}\\s*failed`)));
}

/** Clicks an edge's state button and waits for the reload that follows the server's answer. */
async function setEdge(page: Page, edge: string, state: string): Promise<void> {
  const before = await reloads(page);
  await page.locator(`button[data-edge="${edge}"][data-state="${state}"]`).click();
  await expect(card(page, edge)).toHaveAttribute('data-server', state);
  await expect.poll(() => reloads(page)).toBeGreaterThan(before);
}

test('a person takes an edge down, slows one and makes one hang: every image still shows, the marks and the timeline change', async ({ page }, testInfo) => {
  test.setTimeout(60000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Trusted Type/i.test(m.text())) problems.push(m.text());
  });
  await page.setViewportSize({ width: 1320, height: 980 });

  const res = await page.goto(demo.url);
  expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");

  // Round-robin: the images are spread over all three edges and the origin.
  const first = await allShown(page, (t) => new Set(t.map((x) => x.source)).size === 4, 'images from all four sources');
  expect(new Set(first.map((t) => t.source))).toEqual(new Set(['origin', 'edge-a', 'edge-b', 'edge-c']));
  for (const e of ['edge-a', 'edge-b', 'edge-c']) await expect(card(page, e)).toHaveAttribute('data-loader', 'up');
  await expect.poll(async () => (await rows(page, 'cdn:probe')).length).toBeGreaterThanOrEqual(3);

  // Down (port closed): the images that went to edge-a move on at once, and edge-a is marked down.
  await setEdge(page, 'edge-a', 'down');
  const down = await allShown(page, (t) => t.every((x) => x.source !== 'edge-a'), 'no image from edge-a');
  await expect(card(page, 'edge-a')).toHaveAttribute('data-loader', 'down');
  await expect.poll(() => rows(page, 'cdn:edge')).toContainEqual(expect.stringMatching(/edge-a\s*is down/));
  await caught(page, down, 'edge-a', /edge-a\s*→\s*edge-[bc]\s*error/);

  // Healthy again: after its next good probe edge-a is up and gets its share back.
  await page.locator('button[data-edge="edge-a"][data-state="healthy"]').click();
  await expect(card(page, 'edge-a')).toHaveAttribute('data-loader', 'up', { timeout: 10000 });
  const back = await allShown(page, (t) => t.some((x) => x.source === 'edge-a'), 'edge-a serving again');
  expect(new Set(back.map((t) => t.source))).toEqual(new Set(['origin', 'edge-a', 'edge-b', 'edge-c']));
  expect(await rows(page, 'cdn:edge')).toContainEqual(expect.stringMatching(/edge-a\s*is up/));

  // Slow (+300 ms): edge-c stays up, and its probes show the delay.
  await setEdge(page, 'edge-c', 'slow');
  await expect
    .poll(async () => (await rows(page, 'cdn:probe')).some((r) => /edge-c\s*ok (\d+) ms/.test(r) && Number(/ok (\d+) ms/.exec(r)![1]) >= 300))
    .toBe(true);
  await allShown(page);

  // Hang (accepts, never answers): only the loader's own timer can tell; the images still arrive.
  await setEdge(page, 'edge-b', 'hang');
  const hung = await allShown(page, (t) => t.every((x) => x.source !== 'edge-b'), 'no image from edge-b');
  await expect(card(page, 'edge-b')).toHaveAttribute('data-loader', 'down');
  await expect.poll(() => rows(page, 'cdn:edge')).toContainEqual(expect.stringMatching(/edge-b\s*is down/));
  await caught(page, hung, 'edge-b', /edge-b\s*→\s*(edge-[ac]|origin)\s*timeout/);

  // A hanging edge answered none of the requests it holds: its card counts only the answers it sent.
  const answered = demo.edges[1].server.log.filter((h) => h.path.startsWith('/images/') && h.status === 200).length;
  const held = demo.edges[1].server.log.filter((h) => h.path.startsWith('/images/') && h.status === undefined).length;
  await expect.poll(() => card(page, 'edge-b').locator('.served').textContent()).toBe(`${answered} img${held ? ` · ${held} unanswered` : ''} · ${answeredProbes(demo.edges[1].server.log)} probes`);

  await labels(page);

  // The picture for the README: edge-b hanging, its images moved, edge-c slow, the timeline telling why.
  await expect(page.locator('#legend .shown.all')).toBeVisible();
  const shot = testInfo.outputPath('demo.png');
  // Playwright's screenshot in Firefox (over WebDriver BiDi) inserts an inline style, which the demo's
  // CSP refuses; Firefox reports that refusal as a page error. It is not the page's: it is left out.
  const before = problems.length;
  await page.screenshot({ path: shot, fullPage: true });
  problems.splice(before, Infinity, ...problems.slice(before).filter((p) => !/blocked an inline style/.test(p)));
  await testInfo.attach('demo', { path: shot, contentType: 'image/png' });
  const update = testInfo.config.updateSnapshots;
  if (!existsSync(README_SHOT) || update === 'all' || update === 'changed') {
    mkdirSync(dirname(README_SHOT), { recursive: true });
    copyFileSync(shot, README_SHOT);
  }

  // Mode off: every image from the origin.
  await page.locator('button[data-mode="off"]').click();
  await expect(page.locator('button[data-mode="off"]')).toHaveAttribute('aria-pressed', 'true');
  await allShown(page, (t) => t.every((x) => x.source === 'origin'), 'every image from the origin');

  expect(problems).toEqual([]);
});

test('the control endpoint refuses bad requests and other sites', async ({ request }) => {
  const post = (q: string, headers: Record<string, string> = {}) => request.post(demo.url + 'control?' + q, { headers });
  expect((await post('edge=edge-x&state=down')).status()).toBe(400);
  expect((await post('edge=edge-a&state=melt')).status()).toBe(400);
  expect((await post('edge=edge-a&state=down', { Origin: 'http://evil.localhost:1' })).status()).toBe(403);
  const ok = await post('edge=a&state=slow&delay=150');
  expect(ok.status()).toBe(200);
  expect((await ok.json()).edges[0]).toMatchObject({ id: 'edge-a', state: 'slow', delay: 150 });
  expect(demo.edges[0].state).toBe('slow');
});
