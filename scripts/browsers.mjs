// `npm run browsers`: writes the browser-support table of docs/browsers.md from the last full run of
// each engine (test-results/browsers/<engine>.json, written by e2e/engineReport.ts and the WebKit
// runner). `--check` fails when the committed table differs from what the last runs say.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const DOC = 'docs/browsers.md';
const START = '<!-- browsers:start (npm run browsers) -->';
const END = '<!-- browsers:end -->';
const ENGINES = [
  ['chromium', 'Chromium', 'every browser test (e2e/*.spec.ts)'],
  ['firefox', 'Firefox', 'every browser test (e2e/*.spec.ts)'],
  ['webkit', 'WebKit (Safari’s engine)', 'e2e/loader.spec.ts, health.spec.ts, engines.spec.ts; the core behaviours must pass'],
];

const rows = [];
const notes = [];
for (const [id, name, what] of ENGINES) {
  const file = `test-results/browsers/${id}.json`;
  if (!existsSync(file)) {
    rows.push(`| ${name} | not run | | ${what} | **no run on record** |`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // Major versions only: a security update of the same browser does not change the table.
  const major = r.version
    .replace(/^(Firefox) (\d+)\S*esr$/, '$1 ESR $2')
    .replace(/^(Chromium|Chrome|Firefox) (\d+)\..*/, '$1 $2')
    .replace(/^(WebKitGTK) (\d+\.\d+)\..*/, '$1 $2');
  const known = r.known ?? [];
  rows.push(`| ${name} | ${major} | ${r.driver.replace(/ \d+\.\d+\.\d+/, '')} | ${what} | ${r.passed - known.length} passed, ${known.length} known differences, ${r.skipped.length} skipped, ${r.failed.length} failed |`);
  const reasons = new Map();
  for (const s of r.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.title]);
  for (const [reason, titles] of reasons) notes.push(`- ${name}, skipped (${titles.length}): ${reason}`);
  // One line per reason: several tests may fail for the same engine difference.
  const why = new Map();
  for (const k of known) why.set(k.reason, [...(why.get(k.reason) ?? []), `“${k.title.split(' › ').pop()}”`]);
  for (const [reason, titles] of why) notes.push(`- ${name}, known difference (${titles.length}: ${titles.join(', ')}): ${reason}`);
  for (const f of r.failed) notes.push(`- ${name}, FAILED: ${f}`);
}
const table = [
  START,
  '| Engine | Version | Driven by | What is tested | Last full run |',
  '|---|---|---|---|---|',
  ...rows,
  '',
  ...(notes.length ? notes : ['- Nothing skipped, no known differences.']),
  END,
].join('\n');

const doc = readFileSync(DOC, 'utf8');
const a = doc.indexOf(START);
const b = doc.indexOf(END);
if (a < 0 || b < 0) throw new Error(`${DOC}: the markers ${START} … ${END} are missing`);
const next = doc.slice(0, a) + table + doc.slice(b + END.length);
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error(`${DOC}: the browser table differs from the last runs: run \`npm run browsers\` and commit it`);
    process.exit(1);
  }
} else {
  writeFileSync(DOC, next);
  console.log(`${DOC}: table written from ${ENGINES.filter(([id]) => existsSync(`test-results/browsers/${id}.json`)).length} engine runs`);
}
