// The size budget: gzip (zlib level 9) and brotli (quality 11) sizes of the built files, checked
// against .size-limit.json (`[{ "path", "gzip": ceiling in bytes }]`). The ceiling only goes down: a
// saving lowers it, and new features go where they do not weigh on the first page (docs/size.md).
// Prints the sizes and exits 1, naming each file and its overshoot, when one is over its ceiling.
//
//   node scripts/size.mjs            the files in .size-limit.json, checked
//   node scripts/size.mjs FILE…      other files too (budgets apply to the listed ones only)
//   node scripts/size.mjs --json     one JSON object on stdout instead of the table (the benchmark reads it)
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const CONFIG = '.size-limit.json';
const args = process.argv.slice(2);
const json = args.includes('--json');
const extra = args.filter((a) => !a.startsWith('--'));

let budgets;
try {
  budgets = JSON.parse(readFileSync(CONFIG, 'utf8'));
  if (!Array.isArray(budgets) || budgets.some((b) => typeof b?.path !== 'string' || typeof b.gzip !== 'number'))
    throw new Error('expected [{ "path": "dist/cdn-loader.js", "gzip": 9800 }, …]');
} catch (e) {
  console.error(`size: ${CONFIG}: ${e.message}`);
  process.exit(1);
}

const paths = [...new Set([...budgets.map((b) => b.path), ...extra])];
const rows = [];
const problems = [];
for (const path of paths) {
  const budget = budgets.find((b) => b.path === path);
  let body;
  try {
    body = readFileSync(path);
  } catch {
    problems.push(`${path} is missing: run \`npm run build\` first`);
    rows.push({ path, missing: true });
    continue;
  }
  const row = {
    path,
    bytes: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }).length,
    limit: budget?.gzip ?? null,
  };
  row.over = row.limit !== null && row.gzip > row.limit;
  if (row.over)
    problems.push(
      `${path} is ${fmt(row.gzip)} B gzipped, ${fmt(row.gzip - row.limit)} B over its budget of ${fmt(row.limit)} B (${CONFIG}): make it smaller`,
    );
  rows.push(row);
}

if (json) console.log(JSON.stringify({ config: CONFIG, files: rows, ok: !problems.length, problems }, null, 2));
else {
  const table = [['file', 'minified', 'gzip -9', 'brotli', 'budget (gzip)', '']];
  for (const r of rows) {
    if (r.missing) table.push([r.path, 'missing', '', '', '', '']);
    else
      table.push([
        r.path,
        fmt(r.bytes),
        fmt(r.gzip),
        fmt(r.brotli),
        r.limit === null ? '—' : fmt(r.limit),
        r.limit === null ? '' : r.over ? `OVER by ${fmt(r.gzip - r.limit)}` : `ok, ${fmt(r.limit - r.gzip)} to spare`,
      ]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) console.log(r.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
  for (const p of problems) console.error(`size: ${p}`);
}
process.exit(problems.length ? 1 : 0);

function fmt(n) {
  return n.toLocaleString('en-US');
}
