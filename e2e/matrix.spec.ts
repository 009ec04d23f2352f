// The fault matrix: every edge fault × every resource kind × both sharing modes, with one edge and
// with all edges faulty, against real loopback servers. One page per (fault, mode, scope) holds every
// kind (four copies each, so round-robin sends each kind to every source), which covers all
// 7 × 6 × 2 × 2 = 168 combinations in 28 pages. Each page must lose nothing, run its scripts in order
// and once, try no source twice for a resource (at most chosen + retries + origin requests), and
// leave the origin alone serving when every edge is down.
import { test, expect, events, settled, uncaught, type SeenEvent } from './fixtures.js';
import { scriptBody, styleBody, sri, type Hit, type Knobs, type TestServer } from './servers.js';
import { KINDS, MODES, SCOPES, COPIES, RETRIES, resources, pathOf, shown, type Resource } from './matrixPage.js';

export const FAULTS: { name: string; knobs: Partial<Knobs>; reason?: string }[] = [
  { name: 'refused', knobs: { fault: 'refuse' }, reason: 'error' },
  { name: 'blackhole', knobs: { fault: 'blackhole' }, reason: 'timeout' },
  { name: '404 with HTML body', knobs: { fault: 'status', status: 404 }, reason: 'error' },
  { name: '500', knobs: { fault: 'status', status: 500 }, reason: 'error' },
  { name: 'slow 3 s', knobs: { fault: 'slow', delay: 3000 }, reason: 'timeout' },
  // Scripts and stylesheets carry integrity; images cannot, and the wrong bytes fail to decode.
  { name: 'wrong content under SRI', knobs: { fault: 'corrupt' } },
  // Answers 503 in every other second: loads may succeed on the edge, so no reason is fixed.
  { name: 'flapping every second', knobs: { fault: 'flap', period: 1000 } },
];

/** The resource an event's element name (id, data-cdn-* path or URL) stands for. */
function resourceOf(list: Resource[], name: string | undefined): Resource | undefined {
  if (!name) return undefined;
  return list.find((r) => r.id === name) ?? list.find((r) => r.paths.includes(pathOf(name)));
}

const requests = (s: TestServer, r: Resource): Hit[] => s.log.filter((h) => r.paths.includes(pathOf(h.path)));

/** Figures the whole matrix adds up to, printed at the end of the run. */
const totals = { pages: 0, combinations: 0, resources: 0, lost: 0 };

test.describe.configure({ timeout: 60000 });

for (const fault of FAULTS)
  for (const mode of MODES)
    for (const scope of SCOPES)
      test(`${fault.name} × ${mode} × ${scope === 'one' ? 'one edge' : 'all edges'} faulty: every kind loads, scripts once in order, bounded requests`, async ({ page, site }) => {
        const list = resources();
        const faulty = scope === 'one' ? [site.a] : site.edges;
        const pageErrors = uncaught(page);
        const consoleErrors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

        const integrity = list
          .filter((r) => r.kind === 'script' || r.kind === 'stylesheet')
          .map((r) => ({ path: r.paths[0], integrity: sri(r.kind === 'script' ? scriptBody(r.id) : styleBody(r.id)) }));
        const manifest = site.manifest({
          mode,
          assets: ['/images/', ...integrity],
          probe: { timeout: 800, interval: 60000 },
          // Hangs need the timer; faults that answer must be left by their answer, not by a timer that a
          // busy machine lets run out first.
          failover: { timeout: fault.reason === 'timeout' ? 400 : 3000, retries: RETRIES },
        });
        for (const s of faulty) await s.set(fault.knobs);
        // The manifest arrives after the whole body is parsed, so every resource is chosen in one
        // pass, in document order, before any probe answers: round-robin then deals each kind's four
        // copies to a, b, c and the origin, and `always` sends all of them to edge a.
        await site.origin.set({ fault: 'slow', delay: 150 }, '/cdn-manifest.json');
        await site.open(list.map((r) => r.markup).join('\n'), { manifest });

        const done = await settled(page, list.length, 20000);
        const all = await events(page);
        const loads = all.filter((e) => e.type === 'cdn:load');
        const fallbacks = all.filter((e) => e.type === 'cdn:fallback');
        const problems: string[] = [];
        const lost: string[] = [];

        // 1. Nothing lost: one cdn:load per resource, no cdn:error, and the page shows each one.
        for (const e of done) if (e.type === 'cdn:error') problems.push(`cdn:error for ${e.el} (${e.url})`);
        const loadOf = new Map<string, SeenEvent>();
        for (const e of loads) {
          const r = resourceOf(list, e.el);
          if (!r) problems.push(`cdn:load for an unknown element ${e.el}`);
          else if (loadOf.has(r.id)) problems.push(`two cdn:load events for ${r.id}`);
          else loadOf.set(r.id, e);
        }
        const dom = await shown(page, list.map((r) => r.id));
        const servers = [site.origin, ...site.edges];
        const serverOf = (url: string) => servers.find((s) => url.startsWith(s.url + '/'));
        for (const r of list) {
          const load = loadOf.get(r.id);
          const seen = dom.find((d) => d.id === r.id)!;
          if (!load || !seen.ok) {
            lost.push(r.id);
            problems.push(`${r.id} lost: ${load ? 'the page does not show it' : 'no cdn:load'} (element URL ${seen.url || 'none'})`);
            continue;
          }
          const by = servers.find((s) => s.name === load.source);
          if (!by) problems.push(`${r.id}: cdn:load names an unknown source ${load.source}`);
          // The reported source really served it: a complete 200 with the right bytes.
          else if (!requests(by, r).some((h) => h.status === 200 && !h.corrupt))
            problems.push(`${r.id}: reported from ${by.name}, which never answered it correctly (${JSON.stringify(requests(by, r))})`);
          // The element shows what the event reports (the poster and a script's src too).
          if (serverOf(seen.url)?.name !== load.source) problems.push(`${r.id}: the element uses ${seen.url}, the event says ${load.source}`);
        }

        // 2. Scripts: in document order, each exactly once, and never the wrong bytes.
        const scriptIds = list.filter((r) => r.kind === 'script').map((r) => r.id);

        // 3. The fault was met: each kind had a copy whose chosen source is a faulty edge.
        const chosen = new Map<string, string>();
        for (const r of list) {
          const first = fallbacks.find((f) => resourceOf(list, f.el) === r);
          chosen.set(r.id, first?.from ?? loadOf.get(r.id)?.source ?? '?');
        }
        const faultyIds = faulty.map((s) => s.name);
        for (const kind of KINDS) {
          const exposed = list.filter((r) => r.kind === kind && faultyIds.includes(chosen.get(r.id)!));
          if (!exposed.length) problems.push(`no ${kind} was sent to a faulty edge: the combination went untested`);
          if (mode === 'always' && exposed.length !== COPIES) problems.push(`always mode sent only ${exposed.length} of ${COPIES} ${kind}s to edge a`);
          for (const r of exposed) {
            const fb = fallbacks.filter((f) => resourceOf(list, f.el) === r && faultyIds.includes(f.from!));
            // A flapping edge may be up when asked; every other fault must move the resource on.
            if (fault.knobs.fault !== 'flap' && !fb.length) problems.push(`${r.id}: no cdn:fallback away from faulty edge ${chosen.get(r.id)}`);
            const want = fault.reason ?? (kind === 'script' || kind === 'stylesheet' ? 'integrity' : 'error');
            if (fault.knobs.fault !== 'flap') for (const f of fb) if (f.reason !== want) problems.push(`${r.id}: fallback from ${f.from} for "${f.reason}", expected "${want}"`);
          }
        }

        // 4. Bounded requests: no source twice for one resource; at most chosen + retries + origin;
        //    a resource chosen from the origin (round-robin) has the origin alone.
        const perResource: Record<string, Record<string, number>> = {};
        for (const r of list) {
          const counts = Object.fromEntries(servers.map((s) => [s.name, requests(s, r).length]));
          perResource[r.id] = counts;
          const total = Object.values(counts).reduce((a, b) => a + b, 0);
          for (const [name, n] of Object.entries(counts)) if (n > 1) problems.push(`${r.id}: ${n} requests to ${name} (${JSON.stringify(counts)})`);
          const bound = chosen.get(r.id) === 'origin' ? 1 : RETRIES + 2;
          if (total > bound) problems.push(`${r.id}: ${total} requests, more than its ${bound} candidates (${JSON.stringify(counts)})`);
          if (chosen.get(r.id) === 'origin' && total !== counts.origin) problems.push(`${r.id}: chosen from the origin, yet edges were asked (${JSON.stringify(counts)})`);
        }

        // 5. With every edge down, the origin alone serves (a flapping edge is up half the time).
        if (scope === 'all' && fault.knobs.fault !== 'flap')
          for (const [id, e] of loadOf) if (e.source !== 'origin') problems.push(`${id} served by ${e.source} while every edge is faulty`);

        // Late answers (slow edges) arrive after the hedge won: they must neither execute nor add a
        // request. Wait until no answer is pending on a server that answers at all, and until the
        // browser has received each of those answers it did not abandon.
        if (fault.knobs.fault === 'slow') {
          const pending = () => faulty.reduce((n, s) => n + s.inflight((p) => !p.includes('cdn-probe=')), 0);
          await expect.poll(pending, { timeout: 15000, message: 'slow answers still pending' }).toBe(0);
          const answered = faulty.flatMap((s) => s.log.filter((h) => h.status === 200 && !h.path.includes('cdn-probe=')).map((h) => s.url + h.path));
          // Every answer sent in full was still awaited (one the browser gave up on closed its request
          // first and has no status): the browser must have received it. A timeout here fails the test.
          await expect
            .poll(() => page.evaluate((urls) => urls.filter((u) => !performance.getEntriesByName(u).length), answered), {
              timeout: 5000,
              message: 'late answers sent in full that the browser never received',
            })
            .toEqual([]);
        }
        const ran = await page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);
        if (JSON.stringify(ran) !== JSON.stringify(scriptIds)) problems.push(`scripts ran as ${JSON.stringify(ran)}, expected ${JSON.stringify(scriptIds)}`);
        const corrupt = await page.evaluate(() => (window as unknown as { __corrupt?: number }).__corrupt);
        if (corrupt) problems.push(`wrong script bytes executed ${corrupt} times`);
        const scriptTags = await page.evaluate(
          (ids) => ids.map((id) => Array.from(document.querySelectorAll('script[src]')).filter((s) => (s as HTMLScriptElement).src.endsWith(`/js/${id}.js`)).length),
          scriptIds,
        );
        scriptTags.forEach((n, i) => n !== 1 && problems.push(`${scriptIds[i]}: ${n} executable <script> elements`));
        // Counts again, now that late requests had their chance.
        for (const r of list)
          for (const s of servers) if (requests(s, r).length > 1) problems.push(`${r.id}: ${requests(s, r).length} requests to ${s.name} after the late answers`);

        const unexpectedErrors = consoleErrors.filter((m) => /could not be loaded|could not start/.test(m));
        if (unexpectedErrors.length) problems.push(`console: ${unexpectedErrors.join(' | ')}`);
        if (pageErrors.length) problems.push(`uncaught: ${pageErrors.join(' | ')}`);

        totals.pages++;
        totals.combinations += KINDS.length;
        totals.resources += list.length;
        totals.lost += lost.length;
        test.info().annotations.push({ type: 'figures', description: `${KINDS.length} combinations, ${list.length} resources, ${lost.length} lost` });
        if (problems.length || process.env.MATRIX_DEBUG)
          console.log(
            `[matrix] ${fault.name} × ${mode} × ${scope}:\n  ${problems.join('\n  ')}\n  chosen ${JSON.stringify(Object.fromEntries(chosen))}\n  requests ${JSON.stringify(perResource)}\n  server logs ${JSON.stringify(Object.fromEntries(servers.map((s) => [s.name, s.log.map((h) => `${h.path} ${h.status ?? (h.end ? 'closed' : 'pending')}${h.corrupt ? ' corrupt' : ''}`)])))}`,
          );
        expect(problems, `${fault.name} × ${mode} × ${scope}`).toEqual([]);
        expect(lost).toEqual([]);
      });

test.afterAll(() => {
  if (totals.pages) console.log(`[matrix] ${totals.pages} pages, ${totals.combinations} combinations, ${totals.resources} resources, ${totals.lost} lost`);
});
