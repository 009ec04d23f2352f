// Review of runtime/plainWatch.ts `waiting` (more than six plain images loading at one edge wait without a chain
// each): cases where it differs from the chain each image had before (main's plainWatch), against deadline.ts's
// rule (more than six in flight at a source: any arrival there restarts every attempt's clock).
import { test, expect, events, settled, type Site } from './fixtures.js';
import { openWatched } from './watched.js';

/** A plain image at edge a; `anon`: without credentials (Chromium's other six connections to the host). */
const img = (site: Site, id: string, path: string, anon = false) => `<img id="${id}" src="${site.a.url}${path}" alt=""${anon ? ' crossorigin="anonymous"' : ''}>`;

test('review4 B: more than six plain images waiting at a busy edge: what the boot\'s images deliver there restarts their clocks too (no needless hedge)', async ({ page, site }) => {
  // Seven plain images at edge a answer 8.5 s after their request (4 with credentials, 3 without). Four data-cdn-src
  // images of the boot at edge a (without credentials: the seventh request of that group, p6, waits for the first of
  // them to end; the test server's log showed p6 arriving as d0 ended in 16 of 16 runs) answer at 1, 3, 5 and 7 s.
  // The deadline is 4 s. Eleven then ten, nine, eight in flight at edge a: each of those arrivals restarts every
  // clock there (deadline.ts), the last at 7 s, and the plain ones' arrivals at 8.5 s restart p6's (seven in flight):
  // p6, in at ~9.5 s, is not late (main: no hedge). Counted from the page, or from the last arrival of a plain image
  // only, they are late at 4 s. (With a 2 s deadline and the first answer at 1 s it failed under CI load, 2 of 2
  // tries: the loaded test server took the first requests ~1 s after Chromium sent them, nothing had come from edge a
  // when the deadline passed, and the edge was rightly taken for dead. Each wait here has 2–3 s to spare.)
  for (const [i, delay] of [1000, 3000, 5000, 7000].entries()) await site.a.set({ fault: 'slow', delay }, `/images/${i}.png`);
  await site.a.set({ fault: 'slow', delay: 8500 }, '/img3/');
  const plain = Array.from({ length: 7 }, (_, i) => img(site, `p${i}`, `/img3/${i}.png`, i >= 4)).join('\n');
  const boot = Array.from({ length: 4 }, (_, i) => `<img id="d${i}" data-cdn-src="/images/${i}.png" crossorigin="anonymous" alt="">`).join('\n');
  await openWatched(page, site, { body: plain + '\n' + boot, manifest: { assets: ['/images/', '/img3/'], failover: { timeout: 4000 } } });
  const done = await settled(page, 11, 20000);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(done.map((e) => `${e.el}:${e.source}`).sort()).toEqual([...[0, 1, 2, 3].map((i) => `d${i}:a`), ...[0, 1, 2, 3, 4, 5, 6].map((i) => `p${i}:a`)]);
  expect(site.counts('/img3/')).toEqual({ origin: 0, a: 7, b: 0, c: 0 });
});

test('review4 C: more than six plain images waiting at a hung edge after one delivered: the page finishing parsing later is no sign of life (they move a deadline after that delivery, as on main)', async ({ page, site, browserName }) => {
  // The case needs the runtime before the page is parsed: Firefox ran it once the parser-blocking script was in.
  test.skip(browserName === 'firefox', 'the runtime came after the page was parsed');
  // f0 arrives at 1 s, seven others (4 with credentials, 3 without: none queued) only at 10.5 s; the deadline is
  // 8 s. A slow script at the end of the body holds the parser until ~4 s (the runtime came before). On main
  // every chain is late at 9 s (8 s after f0), before the others arrive: seven hedges. Crediting the second scan
  // (the page parsed at 4 s) with f0's delivery moves the deadline to 12 s, after they arrived: none.
  await site.a.set({ fault: 'slow', delay: 1000 }, '/img3/f');
  await site.a.set({ fault: 'slow', delay: 10500 }, '/img3/');
  await site.origin.set({ fault: 'slow', delay: 4000 }, '/slow');
  site.origin.file('/slow.js', 'window.__slow = 1;', 'text/javascript');
  const body = [img(site, 'f0', '/img3/f0.png'), ...Array.from({ length: 7 }, (_, i) => img(site, `h${i}`, `/img3/h${i}.png`, i >= 3)), '<script src="/slow.js"></script>'].join('\n');
  await openWatched(page, site, { body, manifest: { assets: ['/img3/'], failover: { timeout: 8000 } } });
  // The runtime came before f0 arrived, and before the page was parsed (both are needed for the case).
  await page.waitForFunction(() => window.CDNLoader?.edges().length);
  expect(await page.evaluate(() => [document.readyState, (document.getElementById('f0') as HTMLImageElement).complete])).toEqual(['loading', false]);
  const done = await settled(page, 8, 30000);
  expect(done.filter((e) => e.type !== 'cdn:load')).toEqual([]);
  expect((await events(page, 'cdn:fallback')).map((e) => `${e.el}:${e.from}:${e.reason}`).sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `h${i}:a:timeout`));
});

test('review4 E: a plain image waiting at an edge that fails while the page holds it out of the document still moves to the next source', async ({ page, site }) => {
  // Not an image: it fails on edge a (after 1.5 s), loads from edge b.
  site.a.file('/img3/bad.png', 'not an image', 'image/png');
  await site.a.set({ fault: 'slow', delay: 1500 }, '/img3/bad');
  await site.a.set({ fault: 'slow', delay: 4000 }, '/img3/');
  const body = [img(site, 'bad', '/img3/bad.png'), ...Array.from({ length: 7 }, (_, i) => img(site, `m${i}`, `/img3/${i}.png`, i >= 3))].join('\n');
  await openWatched(page, site, { body, manifest: { assets: ['/img3/'] } });
  await page.waitForFunction(() => window.CDNLoader?.edges().length);
  // A carousel takes the slide out of the page, and puts it back once it failed (edge a's answer).
  const failed = await page.evaluate(() => {
    const el = document.getElementById('bad') as HTMLImageElement & { __failed?: boolean };
    const parent = el.parentNode!;
    const failing = !el.complete;
    el.addEventListener('error', () => ((el as { __failed?: boolean }).__failed = true), { once: true });
    el.remove();
    (window as unknown as { __bad: HTMLImageElement }).__bad = el;
    (window as unknown as { __parent: Node }).__parent = parent;
    return failing;
  });
  expect(failed).toBe(true);
  await page.waitForFunction(() => (window as unknown as { __bad: { __failed?: boolean } }).__bad.__failed);
  await page.evaluate(() => (window as unknown as { __parent: Node }).__parent.appendChild((window as unknown as { __bad: HTMLImageElement }).__bad));
  const done = await settled(page, 8, 15000);
  expect(done.find((e) => e.el === 'bad')).toMatchObject({ type: 'cdn:load', source: 'b' });
  expect(await page.evaluate(() => (document.getElementById('bad') as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
});

test('review4 D: more than six plain images waiting at an edge whose answers come in during a long task over their deadline: not hedged (race.ts: a check that came late decides nothing)', async ({ page, site }) => {
  // Seven images (4 with credentials, 3 without: none queued) answer 2.5 s after their request; the deadline is
  // 2 s. A long task of the page, from ~1.2 s to ~3.5 s, covers both: once it ends their answers are queued
  // behind the timers (Firefox runs idle callbacks before them too, race.ts). On main each chain's check came
  // more than RECHECK ms late and looked again: no hedge.
  await site.a.set({ fault: 'slow', delay: 2500 }, '/img3/');
  const body = Array.from({ length: 7 }, (_, i) => img(site, `p${i}`, `/img3/${i}.png`, i >= 4)).join('\n');
  const head = '<script>setTimeout(() => { const t = performance.now(); while (performance.now() - t < 2300); window.__long = 1; }, 1200)</script>';
  await openWatched(page, site, { body, head, manifest: { assets: ['/img3/'], failover: { timeout: 2000 } } });
  await page.waitForFunction(() => window.CDNLoader?.edges().length);
  // The case needs the runtime in force before the long task; on a loaded machine it may come after (CI's Firefox once).
  test.skip(!!(await page.evaluate(() => (window as unknown as { __long?: number }).__long)), 'the runtime came after the long task');
  const done = await settled(page, 7, 20000);
  expect(await events(page, 'cdn:fallback')).toEqual([]);
  expect(done.map((e) => `${e.type}:${e.source}`)).toEqual(Array(7).fill('cdn:load:a'));
});
