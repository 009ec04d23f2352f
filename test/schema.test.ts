// The JSON Schema shipped in schema/ must accept exactly what the loader's validator accepts: every
// field of the schema is tried with the same battery of values in both, and they must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestError, parseManifest } from '../src/manifest/manifest.js';
import schemaJson from '../schema/cdn-manifest.schema.json' with { type: 'json' };

type Schema = { [k: string]: unknown };
const schema = schemaJson as Schema;

/** Keywords that only annotate: they never change a verdict. */
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples', 'definitions']);

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

/**
 * A checker for the draft-07 subset the schema uses. It throws on any keyword it does not know, so the
 * schema cannot gain a constraint this test silently ignores.
 */
function valid(s: Schema, v: unknown, root: Schema = s): boolean {
  for (const [k, arg] of Object.entries(s)) {
    if (ANNOTATIONS.has(k) || k === 'then' || k === 'else') continue;
    const a = arg as never;
    let ok: boolean;
    switch (k) {
      case '$ref': {
        const m = /^#\/definitions\/([\w$]+)$/.exec(a);
        assert.ok(m, `unsupported $ref ${a}`);
        ok = valid((root.definitions as Record<string, Schema>)[m[1]], v, root);
        break;
      }
      case 'type': {
        const t = typeOf(v);
        ok = [a as string].flat().some((want) => want === t || (want === 'number' && t === 'integer'));
        break;
      }
      case 'enum':
        ok = (a as unknown[]).includes(v);
        break;
      case 'const':
        ok = v === a;
        break;
      case 'pattern':
        // Editors (VS Code) compile patterns with the `u` flag: a pattern must work with it.
        ok = typeof v !== 'string' || new RegExp(a, 'u').test(v);
        break;
      case 'minimum':
        ok = typeof v !== 'number' || v >= a;
        break;
      case 'maximum':
        ok = typeof v !== 'number' || v <= a;
        break;
      case 'maxItems':
        ok = !Array.isArray(v) || v.length <= a;
        break;
      case 'items':
        ok = !Array.isArray(v) || v.every((x) => valid(a, x, root));
        break;
      case 'properties':
        ok =
          typeOf(v) !== 'object' ||
          Object.entries(a as Record<string, Schema>).every(([p, ps]) => !Object.prototype.hasOwnProperty.call(v, p) || valid(ps, (v as Schema)[p], root));
        break;
      case 'required':
        ok = typeOf(v) !== 'object' || (a as string[]).every((p) => Object.prototype.hasOwnProperty.call(v, p));
        break;
      case 'allOf':
        ok = (a as Schema[]).every((x) => valid(x, v, root));
        break;
      case 'anyOf':
        ok = (a as Schema[]).some((x) => valid(x, v, root));
        break;
      case 'not':
        ok = !valid(a, v, root);
        break;
      case 'if':
        ok = valid(a, v, root) ? !s.then || valid(s.then as Schema, v, root) : !s.else || valid(s.else as Schema, v, root);
        break;
      default:
        assert.fail(`the test's schema checker does not know the keyword "${k}"`);
    }
    if (!ok) return false;
  }
  return true;
}

/** Pages on http: so the page-dependent mixed-content rule stays out of the comparison (tested below). */
const page = 'http://www.example.org/page';

function loaderAccepts(m: unknown, at = page): boolean {
  try {
    parseManifest(m, at);
    return true;
  } catch (e) {
    if (e instanceof ManifestError) return false;
    throw e;
  }
}

const E = 'https://e.example.org';
/** Every field of the schema, and how to place a value there in an otherwise valid manifest. */
const FIELDS: Record<string, (v: unknown) => unknown> = {
  '': (v) => v,
  $schema: (v) => ({ $schema: v }),
  mode: (v) => ({ mode: v }),
  origin: (v) => ({ origin: v }),
  'origin.url': (v) => ({ origin: { url: v } }),
  'origin.weight': (v) => ({ origin: { url: E, weight: v } }),
  edges: (v) => ({ edges: v }),
  'edges[]': (v) => ({ edges: [v] }),
  'edges[].id': (v) => ({ edges: [{ id: v, url: E }] }),
  'edges[].url': (v) => ({ edges: [{ url: v }] }),
  'edges[].weight': (v) => ({ edges: [{ url: E, weight: v }] }),
  assets: (v) => ({ assets: v }),
  'assets[]': (v) => ({ assets: [v] }),
  'assets[].path': (v) => ({ assets: [{ path: v }] }),
  'assets[].mode': (v) => ({ assets: [{ path: '/a.js', mode: v }] }),
  'assets[].integrity': (v) => ({ assets: [{ path: '/a.js', integrity: v }] }),
  sticky: (v) => ({ sticky: v }),
  probe: (v) => ({ probe: v }),
  'probe.type': (v) => ({ probe: { type: v } }),
  'probe.path': (v) => ({ probe: { path: v } }),
  'probe.timeout': (v) => ({ probe: { timeout: v } }),
  'probe.interval': (v) => ({ probe: { interval: v } }),
  'probe.ttl': (v) => ({ probe: { ttl: v } }),
  failover: (v) => ({ failover: v }),
  'failover.timeout': (v) => ({ failover: { timeout: v } }),
  'failover.retries': (v) => ({ failover: { retries: v } }),
  debug: (v) => ({ debug: v }),
  serviceWorker: (v) => ({ serviceWorker: v }),
  manifestTimeout: (v) => ({ manifestTimeout: v }),
  maxStale: (v) => ({ maxStale: v }),
};

const HASH = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';
/** Values every field is tried with: each type, both sides of every range, good and bad URLs, paths, hashes. */
const VALUES: unknown[] = [
  null, true, false, [], {}, ['/x'], { url: E }, { path: '/x' }, { url: 'ftp://x' }, { path: 'x' },
  -1, 0, 0.5, 1, 2, 49, 50, 63, 64, 64.5, 65, 999, 1000, 1500, 60000, 60000.5, 60001, 86400000, 86400001, 1000000, 1000001, 1e9, 2592000000, 2592000001,
  '', ' ', 'auto', 'image', 'fetch', 'always', 'round-robin', 'off', 'ALWAYS', 'sometimes', 'true',
  '/', '/x.js', '/images/', '/js/*.js', '/a/**', '/a/**/b.png', '/a%20b.png', "/a'b", '/a b', '/a"b', '/a<b', '/a`b', '/a\\b', '//x', 'x', 'x/',
  '/' + 'a'.repeat(2047), '/' + 'a'.repeat(2048),
  E, 'http://e.example.org', 'HTTPS://E.example.org/site/', 'https://e.example.org:8443/x/y', 'http://127.0.0.1:8080', 'https://[::1]:8443',
  'https://e.example.org/a@b', 'https://e.example.org/a b', 'ftp://x', '//e.example.org', 'e.example.org', 'javascript:alert(1)', 'data:text/plain,x',
  'https://', 'https://u:p@e.example.org', 'https://u@e.example.org', 'https://e.example.org/?q=1', 'https://e.example.org/?', 'https://e.example.org/#f',
  'https://exa mple.org',
  HASH, HASH + ' sha512-abc==', HASH + '\n', ' ' + HASH, 'sha256-abc=', 'sha384-a_b-c', 'sha384-', 'sha384-abc===', 'md5-abc', 'sha1-abc',
  'eu', 'cdn-eu.example.org:443', 'a_b', 'origin', 'Origin', 'a'.repeat(64), 'a'.repeat(65), 'a b', 'a/b',
];

/** The dotted names of every field the schema describes, following $ref, anyOf branches and items. */
function schemaFields(s: Schema, at: string, out: Set<string>): Set<string> {
  const ref = s.$ref as string | undefined;
  if (ref) return schemaFields((schema.definitions as Record<string, Schema>)[ref.split('/').pop()!], at, out);
  out.add(at);
  for (const branch of [...((s.anyOf as Schema[] | undefined) ?? []), ...((s.allOf as Schema[] | undefined) ?? [])]) {
    const props = branch.properties as Record<string, Schema> | undefined;
    for (const [k, ps] of Object.entries(props ?? {})) schemaFields(ps, at ? `${at}.${k}` : k, out);
  }
  for (const [k, ps] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) schemaFields(ps, at ? `${at}.${k}` : k, out);
  if (s.items) schemaFields(s.items as Schema, at + '[]', out);
  return out;
}

test('the schema is draft-07 and every field of it is compared below', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.deepEqual([...schemaFields(schema, '', new Set())].sort(), Object.keys(FIELDS).sort());
});

test('schema and loader agree on every field for every value of the battery', () => {
  const disagree: string[] = [];
  let compared = 0;
  for (const [field, place] of Object.entries(FIELDS))
    for (const value of VALUES) {
      const m = place(value);
      const bySchema = valid(schema, m);
      const byLoader = loaderAccepts(m);
      if (bySchema === byLoader) compared++;
      else disagree.push(`${field} = ${JSON.stringify(value)}: schema ${bySchema ? 'accepts' : 'refuses'}, loader ${byLoader ? 'accepts' : 'refuses'}`);
    }
  assert.deepEqual(disagree, []);
  assert.ok(compared > 2000, `only ${compared} comparisons`);
});

test('schema and loader agree on whole manifests', () => {
  const many = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));
  const cases: [string, unknown][] = [
    ['empty', {}],
    ['the README quick start', { origin: 'https://www.example.org', edges: ['https://cdn-eu.example.org', 'https://cdn-us.example.org'], assets: ['/images/', '/css/', '/js/*.js'] }],
    [
      'the README reference, with a real hash',
      {
        mode: 'always',
        origin: 'https://www.example.org',
        edges: [{ id: 'eu', url: 'https://cdn-eu.example.org', weight: 2 }, { id: 'us', url: 'https://cdn-us.example.org/site' }, 'https://cdn3.example.org'],
        assets: ['/images/', '/js/*.js', { path: '/js/app.js', integrity: HASH }, { path: '/css/', mode: 'off' }],
        sticky: false,
        probe: { type: 'image', path: '/cdn-probe.gif', timeout: 2000, interval: 30000, ttl: 300000 },
        failover: { timeout: 'auto', retries: 1 },
        manifestTimeout: 1500,
        maxStale: 86400000,
        debug: false,
      },
    ],
    ['unknown fields are ignored', { edgez: 1, probe: { kind: 'x' }, edges: [{ url: E, colour: 'red' }] }],
    ['64 edges', { edges: many(64, (i) => `https://e${i}.example.org`) }],
    ['65 edges', { edges: many(65, (i) => `https://e${i}.example.org`) }],
    ['10000 assets', { assets: many(10000, (i) => `/a/${i}.png`) }],
    ['10001 assets', { assets: many(10001, (i) => `/a/${i}.png`) }],
    ['integrity on an exact path', { assets: [{ path: '/js/app.js', integrity: HASH }] }],
    ['integrity on a prefix', { assets: [{ path: '/js/', integrity: HASH }] }],
    ['integrity on a glob', { assets: [{ path: '/js/*.js', integrity: HASH }] }],
    ['mode without integrity on a prefix', { assets: [{ path: '/js/', mode: 'off' }] }],
    ['an asset object without path', { assets: [{ mode: 'off' }] }],
    ['an edge object without url', { edges: [{ id: 'x' }] }],
    ['the origin object without url', { origin: { weight: 2 } }],
    ['origin weight 0', { origin: { url: 'https://www.example.org', weight: 0 } }],
    ['top level: an array', []],
    ['top level: a string', '{}'],
    ['top level: null', null],
    ['top level: a number', 1],
  ];
  for (const [name, m] of cases) assert.equal(valid(schema, m), loaderAccepts(m), name);
});

test('what only the loader can check: mixed content (needs the page) and duplicate edge ids', () => {
  const loaderOnly: [unknown, string][] = [
    [{ edges: ['http://e.example.org'] }, 'https://www.example.org/'],
    [{ origin: 'http://www.example.org' }, 'https://www.example.org/'],
    [{ edges: [E, E + '/other'] }, page],
    [{ edges: [{ id: 'x', url: E }, { id: 'x', url: 'https://f.example.org' }] }, page],
  ];
  for (const [m, at] of loaderOnly) {
    assert.equal(valid(schema, m), true, JSON.stringify(m));
    assert.equal(loaderAccepts(m, at), false, JSON.stringify(m));
  }
  // The schema's description tells users so.
  assert.match(schema.description as string, /mixed content/);
  assert.match(schema.description as string, /same id/);
});

test('every default in the schema is the loader\'s default', () => {
  const c = parseManifest({}, page);
  const props = schema.properties as Record<string, Schema>;
  const defs = schema.definitions as Record<string, Schema>;
  const probe = props.probe.properties as Record<string, Schema>;
  const failover = props.failover.properties as Record<string, Schema>;
  assert.equal(defs.mode.default, c.mode);
  assert.equal(defs.weight.default, parseManifest({ edges: [E] }, page).edges[0].weight);
  assert.equal(props.sticky.default, c.sticky);
  assert.equal(props.debug.default, c.debug);
  assert.equal(props.manifestTimeout.default, c.manifestTimeout);
  assert.equal(props.maxStale.default, c.maxStale);
  for (const k of ['type', 'timeout', 'interval', 'ttl'] as const) assert.equal(probe[k].default, c.probe[k], `probe.${k}`);
  assert.equal(failover.timeout.default, c.failover.timeout);
  assert.equal(failover.retries.default, c.failover.retries);
});
