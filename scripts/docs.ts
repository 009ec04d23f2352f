// `npm run docs`: writes the figures of README.md and docs/*.md from their sources, so that no figure can
// go stale: sizes from `npm run size` (scripts/size.mjs, on the built files), benchmark figures from
// bench/results.json (written by `npm run bench`). Each figure lives between
//   <!-- figures: NAME -->  and  <!-- /figures -->
// and NAME says what goes there. `--check` changes nothing and exits 1 when a block is not what it would
// write (test/docs.test.ts runs it, and `npm run build` writes them, so a new build updates them too).
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ASSETS_RETRY_FILE, sizes } from '../bench/size.js';
import type { Series } from '../bench/pageLoad.js';
import { fmt, ratio } from '../bench/stats.js';
import { table, type Results } from '../bench/table.js';

/** The files that hold figures. */
export const FILES = ['README.md', 'docs/benchmark.md', 'docs/size.md'];

const BLOCK = /(<!-- figures: ([\w-]+) -->\n)([^]*?)(<!-- \/figures -->)/g;

/** Every figure block's text, by name. */
export function figures(): Record<string, string> {
  const size = sizes();
  const file = (path: string) => {
    const f = size.files.find((x) => x.path === path);
    if (!f || f.missing) throw new Error(`docs: ${path} is missing: run \`npm run build\` first`);
    return f;
  };
  const js = file('dist/cdn-loader.js');
  const mjs = file('dist/cdn-loader.mjs');
  const retry = file(ASSETS_RETRY_FILE);
  const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results;
  const series = (list: Series[], key: string) => {
    const s = list.find((x) => x.key === key);
    if (!s) throw new Error(`docs: bench/results.json has no "${key}": run \`npm run bench\``);
    return s;
  };
  const origin = series(results.images, 'origin').median;
  const edge = series(results.images, 'edge').median;
  const vsOrigin = (key: string) => ratio(series(results.failover, key).median, origin);
  const vsEdge = (key: string) => ratio(series(results.images, key).median, edge);
  const never = (key: string) => {
    const s = series(results.failover, key);
    return s.median === null ? `never finishes it (${fmt(s.loaded)} of ${results.settings.images} images after ${fmt(results.settings.cutoffMs / 1000)} s)` : `finishes it at ${ratio(s.median, origin)}`;
  };
  const run = `Chromium ${results.environment.chromium.split('.')[0]}, ${results.date.slice(0, 10)}`;

  return {
    size:
      `\`dist/cdn-loader.js\` is **${fmt(js.gzip)} B gzipped** (${fmt(js.bytes)} B minified, ${fmt(js.brotli)} B brotli; ` +
      `the ES module ${fmt(mjs.gzip)} B), measured by \`npm run size\` against a ceiling of ${fmt(js.limit ?? 0)} B that only goes down. ` +
      `That is ${ratio(js.gzip, retry.gzip)} the size of assets-retry (${fmt(retry.gzip)} B), which retries errors and does none of the above.\n`,
    bench:
      `Measured by \`npm run bench\` (${run}; medians, [method and results](docs/benchmark.md)): with its edge hanging, a page of ` +
      `${results.settings.images} images takes ${vsOrigin('blackholed/cdn-loader/first')} the time of the same page served by the origin on the first visit ` +
      `and ${vsOrigin('blackholed/cdn-loader/next')} on the next, while assets-retry ${never('blackholed/assets-retry/first')}. ` +
      `With a healthy edge the first page takes ${vsEdge('loader/first')} and the next ${vsEdge('loader/next')} the time of a plain page pointing straight at the edge.` +
      firstVisit(results) +
      '\n',
    'bench-table': table(results),
    'boot-size': (() => {
      const boot = file('dist/cdn-loader-boot.js');
      // (gzip -9, as scripts/size.mjs measures.)
      const runtime = { gzip: gzipSync(readFileSync('dist/cdn-loader-runtime.js'), { level: 9 }).length };
      return (
        `The inline boot, \`dist/cdn-loader-boot.js\`, is ${fmt(boot.gzip)} B gzipped (${fmt(boot.bytes)} B minified) against its own ceiling of ${fmt(boot.limit ?? 0)} B; ` +
        `the runtime that takes over from it, \`dist/cdn-loader-runtime.js\`, is ${fmt(runtime.gzip)} B, loaded async and cached.\n`
      );
    })(),
    'size-now': `It is ${fmt(js.gzip)} B gzipped today (\`npm run size\`; the ES module ${fmt(mjs.gzip)} B), under the ceiling of ${fmt(js.limit ?? 0)} B in \`.size-limit.json\`.\n`,
  };
}

/**
 * The first visit on the emulated network (§9), for the README: the split as the tools write it, and with plain
 * URLs at the edge, against the plain edge page; nothing when that run has neither.
 */
function firstVisit(results: Results): string {
  const fv = results.firstVisit;
  const at = (v: string, m: number) => fv?.ratios.find((x) => x.variant === v && x.mbps === m);
  const say = (v: string) => {
    const [fast, slow] = [10, 1.6].map((m) => at(v, m));
    if (!fast?.cold || !slow?.cold) return '';
    // Paired (the median over repetitions of a variant against the plain page of the same repetition) where the
    // results have it: a difference of medians can differ in sign from it (run S: LCP −14 against +34 ms paired).
    const lcp = (x: typeof fast) => {
      const d = x.lcpDeltaPairedMs ?? x.lcpDeltaMs;
      return d === null ? '?' : `${d < 0 ? '−' : '+'}${fmt(Math.abs(d))} ms`;
    };
    return `${fmt(fast.coldPaired ?? fast.cold, 2)}× / ${fmt(slow.coldPaired ?? slow.cold, 2)}× (LCP ${lcp(fast)} / ${lcp(slow)})`;
  };
  const split = say('split');
  const plain = say('split-watch');
  if (!split) return '';
  // A return to the unchanged page (its HTML a 304), in results that have it.
  const [fb, sb] = [10, 1.6].map((m) => {
    const x = at(plain ? 'split-watch' : 'split', m);
    return x?.backPaired ?? x?.back;
  });
  // A return whose HTML comes anew, with plain URLs, without and with the boot from the HTTP cache (`--returning`).
  const warm = (v: string) => [10, 1.6].map((m) => at(v, m)?.warmPaired ?? at(v, m)?.warm);
  const [pw, ps] = warm('split-watch');
  const [cw, cs] = warm('split-watch-cookie');
  return (
    ` On an emulated mobile network ([first visit](docs/first-visit.md), ${fv!.settings.repeats} runs${fv!.ran ? `, ${fv!.ran.date.slice(0, 10)}` : ''}; paired medians where measured), a healthy first visit with the inline boot takes ${split} the time of that plain page at 10 / 1.6 Mbit/s` +
    (plain ? `; with plain URLs at the edge ([\`--plain-urls\`](docs/static-sites.md)) ${plain}` : '') +
    (fb && sb ? `; a return to the unchanged page ${fmt(fb, 2)}× / ${fmt(sb, 2)}×` : '') +
    (plain && pw && ps && cw && cs
      ? `; a return whose HTML comes anew ${fmt(pw, 2)}× / ${fmt(ps, 2)}×, and ${fmt(cw, 2)}× / ${fmt(cs, 2)}× with the boot from the HTTP cache ([\`--returning\`](docs/static-sites.md#--returning-returning-visits-without-the-boots-bytes))`
      : '') +
    '.'
  );
}

/** `text` with every figure block rewritten; throws on a block whose name has no figure. */
export function fill(text: string, values: Record<string, string>, name: string): string {
  return text.replace(BLOCK, (_, open: string, key: string, _old: string, close: string) => {
    if (!(key in values)) throw new Error(`docs: ${name} has a block "${key}" that scripts/docs.ts does not know (${Object.keys(values).join(', ')})`);
    return open + values[key] + close;
  });
}

const check = process.argv.includes('--check');
const values = figures();
const stale: string[] = [];
for (const name of FILES) {
  const text = readFileSync(name, 'utf8');
  const next = fill(text, values, name);
  if (next === text) continue;
  if (check) stale.push(name);
  else writeFileSync(name, next);
}
if (stale.length) {
  console.error(`docs: the figures in ${stale.join(', ')} are stale: run \`npm run docs\` (or \`npm run build\`) and commit them.`);
  process.exit(1);
}
