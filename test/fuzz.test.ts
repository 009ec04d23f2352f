// Fuzzed manifests through the validator: at least 10,000 seeded cases (valid, mutated, random) of
// wrong types, huge arrays, deep nesting, odd URLs, unicode and prototype-pollution keys. A refused
// manifest must throw ManifestError only, naming a field that is in the input; an accepted one must
// yield only http(s) sources without credentials. FUZZ_SEED and FUZZ_COUNT reproduce or widen a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ManifestError, findRule, parseManifest, type Config } from '../src/manifest/manifest.js';
import { compile } from '../src/manifest/rules.js';
import { DEFAULT_SEED, describe, fuzzCase, type FuzzBase, type FuzzCase } from './fuzzgen.js';

const SEED = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED) >>> 0;
const COUNT = Math.max(10000, Number(process.env.FUZZ_COUNT ?? 12000));

/** Validated on an https: page (mixed content refused) and an http: one, alternately. */
const HTTPS: FuzzBase = {
  page: 'https://www.example.org/shop/page.html',
  origin: 'https://www.example.org',
  edges: ['https://cdn-a.example.org', 'https://cdn-b.example.org/site', 'https://cdn-c.example.net', 'http://127.0.0.1:8081'],
  assets: ['/images/', '/css/', '/js/*.js'],
};
const HTTP: FuzzBase = { ...HTTPS, page: 'http://www.example.org/page.html', edges: ['http://cdn-a.example.org', 'https://cdn-b.example.org/site', 'http://cdn-c.example.net:8080', 'http://localhost:8081'] };

type Parse = (input: unknown, page: string) => Config;

const MESSAGE = /^cdn-loader: manifest((?:\.[A-Za-z_$][\w$]*|\[\d+\])*): ([\s\S]+)$/;
const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d+){3}|\[::1\])$/;
const PROTO_KEYS = (o: object) => Object.getOwnPropertyNames(o).sort().join(',');
const PRISTINE = { object: PROTO_KEYS(Object.prototype), array: PROTO_KEYS(Array.prototype), func: PROTO_KEYS(Function.prototype) };

/** Splits `edges[1].url` into ['edges', 1, 'url']. */
function segments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/\.?([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** Whether `field` names something in `input`: every step exists, except that the last may be a missing own key of an object (a required field left out). */
function names(input: unknown, field: string): boolean {
  const steps = segments(field);
  let at: unknown = input;
  for (let i = 0; i < steps.length; i++) {
    const k = steps[i];
    const last = i === steps.length - 1;
    if (typeof k === 'number') {
      if (!Array.isArray(at) || k >= at.length) return false;
      at = at[k];
    } else {
      if (!at || typeof at !== 'object' || Array.isArray(at)) return false;
      if (!Object.prototype.hasOwnProperty.call(at, k)) return last;
      at = (at as Record<string, unknown>)[k];
    }
  }
  return true;
}

const top = (field: string) => field.split(/[.[]/)[0];

/** An http(s) URL without credentials, query or fragment, that a path cannot move to another host. */
function badSource(url: unknown, page: URL): string | undefined {
  if (typeof url !== 'string') return `is not a string: ${String(url)}`;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `is not a URL: ${url}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `is not http(s): ${url}`;
  if (!/^https?:\/\//.test(url)) return `is not written as an absolute http(s) URL: ${url}`;
  if (u.username || u.password) return `carries credentials: ${url}`;
  if (u.search || u.hash || /[?#]/.test(url)) return `has a query or fragment: ${url}`;
  if (url.endsWith('/')) return `ends in "/": ${url}`;
  if (page.protocol === 'https:' && u.protocol === 'http:' && !LOOPBACK.test(u.hostname)) return `is mixed content on an https: page: ${url}`;
  for (const p of ['/x.png', '/@evil.example.org/x', '/..%2f..%2fx']) {
    const joined = new URL(url + p);
    if (joined.origin !== u.origin) return `moves to ${joined.origin} with path ${p}`;
  }
  return undefined;
}

/** What is wrong with an accepted manifest's config, if anything. */
function badConfig(c: Config, pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const out: string[] = [];
  if (!c || typeof c !== 'object') return ['the config is not an object'];
  if (!['always', 'round-robin', 'off'].includes(c.mode)) out.push(`mode ${String(c.mode)}`);
  const sources = [c.origin, ...(Array.isArray(c.edges) ? c.edges : [])];
  if (!Array.isArray(c.edges) || c.edges.length > 64) out.push('edges is not an array of at most 64');
  const ids = new Set<string>();
  sources.forEach((s, i) => {
    if (!s || typeof s !== 'object') return out.push(`source ${i} is ${String(s)}`);
    const bad = badSource(s.url, page);
    if (bad) out.push(`source ${s.id}: url ${bad}`);
    if (typeof s.id !== 'string' || !s.id || ids.has(s.id)) out.push(`source ${i}: id ${JSON.stringify(s.id)} missing or not unique`);
    if ((i === 0) !== (s.id === 'origin')) out.push(`source ${i}: id ${JSON.stringify(s.id)} (only the origin is "origin")`);
    ids.add(s.id);
    if (typeof s.weight !== 'number' || !(s.weight >= 0) || !Number.isFinite(s.weight)) out.push(`source ${s.id}: weight ${String(s.weight)}`);
  });
  if (!Array.isArray(c.rules) || c.rules.length > 10000) out.push('rules is not an array of at most 10000');
  else
    for (const r of c.rules) {
      if (typeof r.path !== 'string' || !r.path.startsWith('/') || r.path.startsWith('//') || /[\s\\]/.test(r.path)) out.push(`rule path ${JSON.stringify(r.path)}`);
      else if (!r.path.includes('*'))
        for (const s of sources) if (s && typeof s.url === 'string' && !badSource(s.url, page) && new URL(s.url + r.path).origin !== new URL(s.url).origin) out.push(`rule ${r.path} leaves ${s.url}`);
      if (r.mode !== undefined && !['always', 'round-robin', 'off'].includes(r.mode)) out.push(`rule mode ${String(r.mode)}`);
      if (r.integrity !== undefined && !/^sha(256|384|512)-/.test(r.integrity)) out.push(`rule integrity ${String(r.integrity)}`);
    }
  const p = c.probe;
  if (!p || !['image', 'fetch'].includes(p.type)) out.push('probe.type');
  else {
    if (typeof p.path !== 'string' || !p.path.startsWith('/') || p.path.startsWith('//') || /[\s\\]/.test(p.path)) out.push(`probe.path ${JSON.stringify(p.path)}`);
    for (const [k, lo, hi] of [['timeout', 50, 60000], ['interval', 1000, 86400000], ['ttl', 0, 86400000]] as const)
      if (typeof p[k] !== 'number' || !(p[k] >= lo && p[k] <= hi)) out.push(`probe.${k} ${String(p[k])}`);
  }
  const f = c.failover;
  if (!f || (f.timeout !== 'auto' && !(typeof f.timeout === 'number' && f.timeout >= 50 && f.timeout <= 60000))) out.push(`failover.timeout ${String(f?.timeout)}`);
  if (!f || !Number.isInteger(f.retries) || f.retries < 0 || f.retries > 64) out.push(`failover.retries ${String(f?.retries)}`);
  if (typeof c.sticky !== 'boolean' || typeof c.debug !== 'boolean') out.push('sticky/debug not boolean');
  if (typeof c.manifestTimeout !== 'number' || !(c.manifestTimeout >= 0 && c.manifestTimeout <= 60000)) out.push(`manifestTimeout ${String(c.manifestTimeout)}`);
  if (typeof c.maxStale !== 'number' || !(c.maxStale >= 0 && c.maxStale <= 2592e6)) out.push(`maxStale ${String(c.maxStale)}`);
  return out;
}

export interface Outcome {
  accepted: boolean;
  /** The field the refusal named ('' for the whole manifest). */
  field?: string;
  problems: string[];
}

/** Runs one input through `parse` and lists every broken promise. */
export function check(parse: Parse, c: FuzzCase, input: unknown, page: string): Outcome {
  const problems: string[] = [];
  let config: Config | undefined;
  let error: unknown;
  try {
    config = parse(input, page);
  } catch (e) {
    error = e;
  }
  const proto = { object: PROTO_KEYS(Object.prototype), array: PROTO_KEYS(Array.prototype), func: PROTO_KEYS(Function.prototype) };
  if (JSON.stringify(proto) !== JSON.stringify(PRISTINE) || ({} as Record<string, unknown>).polluted !== undefined || (globalThis as Record<string, unknown>).__pwned !== undefined)
    problems.push('a prototype or the global object was polluted');
  if (error === undefined) {
    problems.push(...badConfig(config!, page).map((p) => 'accepted, but ' + p));
    return { accepted: true, problems };
  }
  if (!(error instanceof ManifestError)) {
    problems.push(`threw ${(error as Error)?.constructor?.name ?? typeof error} instead of ManifestError: ${String((error as Error)?.message ?? error).slice(0, 200)}`);
    return { accepted: false, problems };
  }
  const m = MESSAGE.exec(error.message);
  if (!m) {
    problems.push(`message not in the form "cdn-loader: manifest.<field>: <value> <problem>": ${error.message.slice(0, 200)}`);
    return { accepted: false, problems };
  }
  const field = m[1].replace(/^\./, '');
  if (error.message.length > 400) problems.push(`message of ${error.message.length} characters`);
  if (!names(input, field)) problems.push(`message names "${field}", which is not in the input: ${error.message.slice(0, 200)}`);
  if (!field && input && typeof input === 'object' && !Array.isArray(input)) problems.push(`an object refused as a whole: ${error.message.slice(0, 200)}`);
  if (c.kind === 'valid') problems.push(`a valid manifest was refused: ${error.message.slice(0, 200)}`);
  if (c.onlyUnknown) problems.push(`refused for unknown fields only (they must be ignored): ${error.message.slice(0, 200)}`);
  if (c.kind === 'mutated' && !c.touched.some((t) => t === '' || top(t) === top(field)))
    problems.push(`names "${field}", but only ${JSON.stringify(c.touched)} were changed: ${error.message.slice(0, 200)}`);
  return { accepted: false, field, problems };
}

/** Every input of a case: the value itself and, if it is not plain JSON, what JSON makes of it. */
function inputs(c: FuzzCase): unknown[] {
  if (c.json) return [c.value];
  const out = [c.value];
  try {
    const text = JSON.stringify(c.value);
    if (text !== undefined) out.push(JSON.parse(text));
  } catch {
    // BigInt and cycles do not survive JSON: the raw value alone.
  }
  return out;
}

export interface FuzzRun {
  cases: number;
  validations: number;
  accepted: number;
  refused: number;
  fields: Map<string, number>;
  failures: string[];
  failed: number;
}

/** Runs `count` cases of `seed` through `parse`. */
export function fuzz(parse: Parse, seed: number, count: number): FuzzRun {
  const run: FuzzRun = { cases: 0, validations: 0, accepted: 0, refused: 0, fields: new Map(), failures: [], failed: 0 };
  for (let i = 0; i < count; i++) {
    const base = i % 2 ? HTTP : HTTPS;
    const c = fuzzCase(seed, i, base);
    run.cases++;
    for (const input of inputs(c)) {
      run.validations++;
      const o = check(parse, { ...c, kind: input === c.value ? c.kind : c.kind === 'valid' ? 'mutated' : c.kind, onlyUnknown: input === c.value && c.onlyUnknown }, input, base.page);
      if (o.accepted) run.accepted++;
      else {
        run.refused++;
        const f = top(o.field ?? '') || '(whole)';
        run.fields.set(f, (run.fields.get(f) ?? 0) + 1);
      }
      if (o.problems.length) {
        run.failed++;
        if (run.failures.length < 15) run.failures.push(`${o.problems.join('; ')}\n    ${describe(seed, c)}`);
      }
    }
  }
  return run;
}

if (isMainThread) {
  test(`fuzz: ${COUNT} seeded manifests (seed ${SEED}) — ManifestError only, naming a field of the input; accepted ones load only from http(s)`, () => {
    const run = fuzz(parseManifest, SEED, COUNT);
    console.log(
      `fuzz: seed ${SEED}: ${run.cases} manifests, ${run.validations} validations, ${run.accepted} accepted, ${run.refused} refused; refusals by field: ${JSON.stringify(Object.fromEntries(run.fields))}`,
    );
    assert.equal(run.failures.length, 0, `${run.failed} broken promises, first ones:\n  ${run.failures.join('\n  ')}`);
    assert.ok(run.cases >= 10000);
    // The generator really reaches both outcomes and every field, or the run proves little.
    assert.ok(run.accepted > run.cases / 10, `only ${run.accepted} accepted`);
    assert.ok(run.refused > run.cases / 3, `only ${run.refused} refused`);
    for (const f of ['(whole)', 'mode', 'origin', 'edges', 'assets', 'sticky', 'probe', 'failover', 'manifestTimeout', 'debug'])
      assert.ok((run.fields.get(f) ?? 0) > 0, `no manifest was refused for ${f}`);
  });

  test('fuzz: the same seed gives the same manifests', () => {
    const text = (seed: number) => Array.from({ length: 200 }, (_, i) => describe(seed, fuzzCase(seed, i, HTTPS))).join('\n');
    assert.equal(text(SEED), text(SEED));
    assert.notEqual(text(SEED), text(SEED + 1));
  });

  test('fuzz: the checks catch a validator that breaks its promises', () => {
    const count = 2000;
    const mutants: [string, Parse][] = [
      ['throws TypeError on odd input', (m, p) => {
        if (Array.isArray((m as { edges?: unknown })?.edges) && (m as { edges: unknown[] }).edges.some((e) => e === null)) throw new TypeError('x is null');
        return parseManifest(m, p);
      }],
      ['accepts non-http(s) edges', (m, p) => {
        try {
          return parseManifest(m, p);
        } catch (e) {
          const edges = (m as { edges?: unknown[] })?.edges;
          if (Array.isArray(edges) && edges.some((x) => typeof x === 'string' && /^(javascript|data):/i.test(x)))
            return { ...parseManifest({}, p), edges: edges.filter((x): x is string => typeof x === 'string').map((url, i) => ({ id: 'e' + i, url, weight: 1 })) };
          throw e;
        }
      }],
      ['keeps credentials', (m, p) => {
        const c = parseManifest(m, p);
        return { ...c, edges: c.edges.map((e) => ({ ...e, url: e.url.replace('://', '://user:pw@') })) };
      }],
      ['names the wrong field', (m, p) => {
        try {
          return parseManifest(m, p);
        } catch (e) {
          throw new ManifestError(String((e as Error).message).replace(/^cdn-loader: manifest(\.[\w$]+)?/, 'cdn-loader: manifest.nowhere'));
        }
      }],
      ['refuses unknown fields', (m, p) => {
        if (m && typeof m === 'object' && Object.keys(m).some((k) => !['mode', 'origin', 'edges', 'assets', 'sticky', 'probe', 'failover', 'manifestTimeout', 'maxStale', 'debug'].includes(k)))
          throw new ManifestError('cdn-loader: manifest: an object has unknown fields');
        return parseManifest(m, p);
      }],
      ['pollutes Object.prototype', (m, p) => {
        const c = parseManifest(m, p);
        if (m && typeof m === 'object' && Object.prototype.hasOwnProperty.call(m, '__proto__')) Object.assign(Object.prototype, { polluted: 1 });
        return c;
      }],
    ];
    for (const [name, parse] of mutants) {
      let run: FuzzRun;
      try {
        run = fuzz(parse, SEED, count);
      } finally {
        delete (Object.prototype as Record<string, unknown>).polluted;
      }
      assert.ok(run.failed > 0, `a validator that ${name} went unnoticed`);
    }
  });

  test('edges written as URL strings are accepted for every valid http(s) host form', () => {
    const refused: string[] = [];
    for (const url of ['https://cdn.example.org:8443/site/', 'https://exämple.org', 'https://xn--exmple-cua.org', 'https://[2001:db8::1]', 'https://[2001:db8::1]:8443/site', 'http://[::1]:8080', 'http://127.0.0.1:8080'])
      try {
        parseManifest({ edges: [url] }, HTTPS.page);
      } catch (e) {
        refused.push((e as Error).message);
      }
    assert.deepEqual(refused, []);
  });

  /** Matches `pattern` against `path` in a worker that is stopped after `ms`: a catastrophic regex cannot hang the run. */
  const matchWithin = (pattern: string, path: string, ms: number) =>
    new Promise<'matched' | 'missed' | 'timeout'>((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { pattern, path } });
      const t = setTimeout(() => {
        void w.terminate();
        resolve('timeout');
      }, ms);
      w.once('message', (m: boolean) => {
        clearTimeout(t);
        void w.terminate();
        resolve(m ? 'matched' : 'missed');
      });
      w.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
    });

  test('no accepted assets pattern makes matching a page path hang (globs are not catastrophic regexes)', async () => {
    const slow: string[] = [];
    const cases: [string, string][] = [
      ['/static/**/img/**/*.png', '/static/' + 'a/'.repeat(1000) + 'x.jpg'],
      ['/**/**/**/**/**/x.png', '/' + 'a/'.repeat(1000) + 'y.png'],
      ['/a**a**a**a**a**a**a**a**b', '/' + 'a'.repeat(2000)],
      ['/*a*a*a*a*a*a*a*a*b', '/' + 'a'.repeat(2000)],
    ];
    for (const [pattern, path] of cases) {
      // Accepted by the validator, so a manifest may carry it.
      parseManifest({ assets: [pattern] }, HTTPS.page);
      // The bound includes the worker's start-up on a busy machine; a catastrophic regex takes minutes.
      const r = await matchWithin(pattern, path, 10000);
      if (r === 'timeout') slow.push(`${pattern} against a ${path.length}-character path`);
    }
    assert.deepEqual(slow, [], 'matching took more than 10 s (a normal match takes milliseconds)');
  });
} else {
  // The worker of matchWithin: one match, then report.
  const { pattern, path } = workerData as { pattern: string; path: string };
  const config = parseManifest({ assets: [pattern] }, HTTPS.page);
  parentPort!.postMessage(findRule(config, path) !== undefined && compile(pattern).test(path));
}
