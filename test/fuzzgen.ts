// A seeded generator of hostile manifests, shared by the Node fuzz test (test/fuzz.test.ts) and its
// browser sample (e2e/fuzz.spec.ts). Manifest `i` of a seed is generated from that pair alone, so any
// one case can be reproduced without generating those before it.

/** mulberry32: a tiny, fast PRNG with a 32-bit state; the same seed always gives the same numbers. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  constructor(private readonly next: () => number) {}
  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

/** The hosts a generated manifest builds on: the valid ones it starts from before mutating. */
export interface FuzzBase {
  /** The page the manifest is validated for (its protocol decides mixed content). */
  page: string;
  origin: string;
  /** Valid edge base URLs, at least three. */
  edges: string[];
  /** Registered paths that a valid manifest uses (the browser sample's page requests these). */
  assets: string[];
}

/** How a case was made, and which fields (as `edges[1].url` paths) it changed. */
export interface FuzzCase {
  index: number;
  kind: 'valid' | 'mutated' | 'random';
  /** Whether the value survives JSON (false: it holds NaN, undefined, functions, holes… as an ES module caller could pass). */
  json: boolean;
  /** Paths of the fields that mutations touched ('' is the whole manifest). */
  touched: string[];
  /** Whether every mutation only added fields the manifest does not know (so the manifest must still be accepted). */
  onlyUnknown: boolean;
  value: unknown;
}

/** Keys that tempt a careless parser into prototype pollution. */
export const POISON_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

/** URLs no loader may ever load from: wrong schemes, protocol-relative, credentials, queries, malformed. */
export const ODD_URLS = [
  'javascript:alert(1)',
  'javascript:window.__pwned=1',
  'JaVaScRiPt:window.__pwned=1',
  ' javascript:window.__pwned=1',
  'java\tscript:window.__pwned=1',
  'javascript://cdn.example.org/%0awindow.__pwned=1',
  'data:text/html,<script>window.__pwned=1</script>',
  'data:image/png;base64,iVBORw0KGgo=',
  'data:,x',
  'vbscript:msgbox(1)',
  'blob:https://www.example.org/0b0c0d0e',
  'file:///etc/passwd',
  'ftp://cdn.example.org',
  'ws://cdn.example.org',
  'about:blank',
  'mailto:a@example.org',
  '//cdn.example.org',
  '///cdn.example.org',
  '\\\\cdn.example.org',
  '/\\cdn.example.org',
  'https:cdn.example.org',
  'https:/cdn.example.org',
  'https:\\\\cdn.example.org',
  'https://',
  'https:///',
  'http://',
  'https://user:pw@cdn.example.org',
  'https://user@cdn.example.org',
  'https://:pw@cdn.example.org',
  'https://cdn.example.org%2f@evil.example.org',
  'https://cdn.example.org/?q=1',
  'https://cdn.example.org?',
  'https://cdn.example.org/#x',
  'https://cdn.example.org#',
  'http://cdn.example.org',
  'https://cdn.example.org:99999',
  'https://cdn.example.org:-1',
  'https://[::1',
  'https://exa mple.org',
  'https://ex<a>mple.org',
  'https://%00.example.org',
  'https://cdn.example.org\\@evil.example.org',
  'https://cdn.example.org/\u0000',
  'https://cdn.example.org\n',
  '\thttps://cdn.example.org',
  'https://exämple.org',
  'https://例え.jp',
  'https://xn--exmple-cua.org/site/',
  'https://\u202eelpmaxe.org',
  'https://cdn.example.org/\ud800',
  'https://🦄.example.org',
  'HTTPS://CDN.EXAMPLE.ORG',
  'https://cdn.example.org/../..',
  'https://cdn.example.org/site/./x/',
  'https://127.0.0.1:1',
  'http://127.0.0.1:1',
  'http://localhost:1',
  'http://[::1]:1',
  'http://0x7f.0.0.1:1',
  'http://2130706433:1',
  'https://cdn.example.org/' + 'a'.repeat(3000),
  '',
  ' ',
  'origin',
  'null',
];

/** Paths no `assets` entry or probe path may accept, and some odd ones it may. */
export const ODD_PATHS = [
  '',
  '/',
  '*',
  '**',
  '/**',
  '/**/**/**',
  '//evil.example.org/x.js',
  '///x',
  '/\\evil.example.org',
  '\\images\\',
  'images/',
  'javascript:window.__pwned=1',
  'data:,x',
  'https://evil.example.org/x.js',
  '/a b',
  '/a\tb',
  '/a\nb',
  '/<script>',
  '/"x"',
  "/'x'",
  '/`x`',
  '/é/ü/',
  '/\u0000',
  '/\u202e/',
  '/🦄/*.png',
  '/%2e%2e/%2e%2e/',
  '/../../etc/passwd',
  '/?q=1',
  '/#x',
  '/@evil.example.org',
  '/:8080/x',
  '/x' + '/y'.repeat(1500),
  '/' + 'z'.repeat(5000),
  '/js/*.js?x',
  '/[a-z]+/',
  '/(a|b)/',
  '/a.*b',
  '/^$',
];

const JUNK_STRINGS = ['', ' ', 'auto', 'true', 'false', 'null', '0', '-1', '1e3', 'always', 'off', 'round-robin', 'image', 'fetch', '🦄', '\u0000', '\ud800', 'é'.repeat(100), 'x'.repeat(10000), '{"a":1}', '[1]', '__proto__', 'origin'];
const JUNK_NUMBERS = [0, -0, 1, -1, 0.5, 1.5, 49, 50, 63, 64, 65, 999, 1000, 1e4, 1e6, 1e6 + 1, 6e4, 6e4 + 1, 864e5, 864e5 + 1, 2 ** 31, 2 ** 53, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2];
/** Values only an ES module caller could pass (they do not survive JSON). */
const RAW_ONLY: (() => unknown)[] = [
  () => NaN,
  () => Infinity,
  () => -Infinity,
  () => undefined,
  () => 10n,
  () => Symbol('x'),
  () => () => ((globalThis as Record<string, unknown>).__pwned = 1),
  () => new Date(0),
  () => /x/,
  () => new Map([['url', 'https://cdn.example.org']]),
  () => Object.create(null),
  () => Object.assign(Object.create(null), { url: 'https://cdn.example.org' }),
  () => new String('https://cdn.example.org'),
  () => new Number(1),
  () => [, 'https://cdn.example.org'], // a hole
];

const MODES = ['always', 'round-robin', 'off'];

/** Sets an own, enumerable property, also for `__proto__` (which a literal or `obj[key] =` would turn into a prototype). */
export function define(o: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function sri(rng: Rng): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const algo = rng.pick(['sha256', 'sha384', 'sha512']);
  const len = { sha256: 43, sha384: 64, sha512: 86 }[algo]!;
  let s = '';
  for (let i = 0; i < len; i++) s += chars[rng.int(64)];
  return `${algo}-${s}${algo === 'sha384' ? '' : '='}`;
}

/** A manifest the validator must accept. */
function valid(rng: Rng, base: FuzzBase): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  if (rng.chance(0.7)) m.mode = rng.pick(MODES);
  if (rng.chance(0.8)) m.origin = rng.chance(0.5) ? base.origin : { url: base.origin, weight: rng.pick([0, 1, 2, 0.5]) };
  const n = 1 + rng.int(Math.min(4, base.edges.length));
  const edges: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const url = base.edges[i] + (rng.chance(0.2) ? '/' : '');
    edges.push(rng.chance(0.3) && i === 0 ? url : { id: `e${i}`, url, ...(rng.chance(0.5) ? { weight: rng.pick([0, 1, 2, 3]) } : {}) });
  }
  m.edges = edges;
  const assets: unknown[] = base.assets.map((p) => (rng.chance(0.2) ? { path: p, ...(rng.chance(0.5) ? { mode: rng.pick(MODES) } : {}) } : p));
  if (rng.chance(0.5)) assets.push({ path: '/js/exact' + rng.int(9) + '.js', integrity: sri(rng) });
  if (rng.chance(0.3)) assets.push('/deep/**/*.png');
  m.assets = assets;
  if (rng.chance(0.5)) m.sticky = rng.chance(0.5);
  if (rng.chance(0.6)) {
    const probe: Record<string, unknown> = {};
    if (rng.chance(0.5)) probe.type = rng.pick(['image', 'fetch']);
    if (rng.chance(0.3)) probe.path = '/cdn-probe.gif';
    probe.timeout = rng.pick([50, 500, 1000, 2000]);
    probe.interval = rng.pick([1000, 30000, 60000]);
    if (rng.chance(0.3)) probe.ttl = rng.pick([0, 1000, 300000]);
    m.probe = probe;
  }
  if (rng.chance(0.6)) m.failover = { timeout: rng.pick(['auto', 50, 300, 1200, 60000]), retries: rng.pick([0, 1, 2, 64]) };
  if (rng.chance(0.3)) m.manifestTimeout = rng.pick([0, 300, 1500]);
  if (rng.chance(0.3)) m.debug = rng.chance(0.5);
  return m;
}

/** Any value, possibly deep or large. */
function junk(rng: Rng, depth = 0, raw = false): unknown {
  const r = rng.int(raw ? 12 : 11);
  switch (r) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(JUNK_NUMBERS);
    case 3:
      return rng.pick(JUNK_STRINGS);
    case 4:
      return rng.pick(ODD_URLS);
    case 5:
      return rng.pick(ODD_PATHS);
    case 6: {
      if (depth > 3) return [];
      const a: unknown[] = [];
      const n = rng.int(5);
      for (let i = 0; i < n; i++) a.push(junk(rng, depth + 1, raw));
      return a;
    }
    case 7: {
      if (depth > 3) return {};
      const o: Record<string, unknown> = {};
      const n = rng.int(5);
      for (let i = 0; i < n; i++) define(o, rng.pick([...POISON_KEYS, 'url', 'id', 'path', 'weight', 'mode', 'integrity', 'x', '', '🦄']), junk(rng, depth + 1, raw));
      return o;
    }
    case 8:
      return deep(rng, 10 + rng.int(rng.chance(0.1) ? 3000 : 200));
    case 9:
      return huge(rng);
    case 10:
      return poisoned(rng);
    default:
      return rng.pick(RAW_ONLY)();
  }
}

/** Arrays or objects nested `n` deep. */
function deep(rng: Rng, n: number): unknown {
  let v: unknown = rng.pick(ODD_URLS);
  const arrays = rng.chance(0.5);
  for (let i = 0; i < n; i++) {
    if (arrays) v = [v];
    else {
      const o: Record<string, unknown> = {};
      define(o, rng.pick(['url', 'path', '__proto__', 'a']), v);
      v = o;
    }
  }
  return v;
}

/** Arrays just over and far over the validator's limits. */
function huge(rng: Rng): unknown[] {
  const n = rng.pick([65, 100, 1000, 10001, 20000]);
  const item = rng.pick<() => unknown>([() => '/images/', () => 'https://cdn.example.org', () => 0, () => ({ path: '/x' }), () => null]);
  return Array.from({ length: n }, (_, i) => (typeof item() === 'string' && rng.chance(0.01) ? `/p${i}/` : item()));
}

/** An object whose own keys are `__proto__`, `constructor`… holding payloads that would pollute Object.prototype. */
function poisoned(rng: Rng): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  define(o, rng.pick(POISON_KEYS), { polluted: 1, url: 'javascript:window.__pwned=1', toString: 'x', prototype: { polluted: 1 } });
  if (rng.chance(0.5)) define(o, 'url', rng.pick(ODD_URLS));
  return o;
}

type Key = string | number;

/** Every path in a value (objects and arrays), as key lists; capped so deep values stay cheap. */
function paths(v: unknown, at: Key[] = [], out: Key[][] = []): Key[][] {
  out.push(at);
  if (out.length > 400 || at.length > 6) return out;
  if (Array.isArray(v)) v.forEach((x, i) => i < 50 && paths(x, [...at, i], out));
  else if (v && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v)))
    for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

/** `edges[1].url` for ['edges', 1, 'url']; the form the validator's messages use. */
export function fieldName(p: Key[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : '.' + k)).join('');
}

const get = (v: unknown, p: Key[]): unknown => p.reduce<unknown>((o, k) => (o as Record<Key, unknown>)[k], v);

/** Replaces, deletes or adds one field somewhere in `root`; returns the new root, the touched path, and whether it only added an unknown key. */
function mutate(rng: Rng, root: unknown, raw: boolean): { root: unknown; path: Key[]; unknown: boolean } {
  const all = paths(root);
  const p = rng.pick(all);
  if (!p.length) {
    // The whole manifest.
    return { root: rng.chance(0.5) ? junk(rng, 0, raw) : [root], path: [], unknown: false };
  }
  const parent = get(root, p.slice(0, -1)) as Record<Key, unknown>;
  const key = p[p.length - 1];
  const r = rng.int(10);
  if (r === 0 && !Array.isArray(parent)) {
    delete parent[key];
    return { root, path: p, unknown: false };
  }
  if (r === 1 && parent && typeof parent === 'object' && !Array.isArray(parent)) {
    // An unknown key (often a poisonous one) beside known ones.
    const k = rng.pick([...POISON_KEYS, 'unknownField', 'URL', 'Mode', 'edges ', '']);
    if (!Object.prototype.hasOwnProperty.call(parent, k)) {
      define(parent, k, rng.chance(0.5) ? poisoned(rng) : junk(rng, 1, false));
      return { root, path: [...p.slice(0, -1), k], unknown: true };
    }
  }
  if (r === 2 && Array.isArray(parent)) {
    // Duplicate an entry (duplicate edge ids, duplicate asset paths).
    parent.push(parent[key as number]);
    return { root, path: p, unknown: false };
  }
  let value: unknown;
  const what = rng.int(6);
  if (what === 0) value = rng.pick(ODD_URLS);
  else if (what === 1) value = rng.pick(ODD_PATHS);
  else if (what === 2) value = rng.pick(JUNK_NUMBERS);
  else if (what === 3 && raw) value = rng.pick(RAW_ONLY)();
  else value = junk(rng, 1, raw);
  define(parent, String(key), value);
  return { root, path: p, unknown: false };
}

/** Whether a value survives JSON unchanged in meaning (no NaN, undefined, functions, holes, exotic objects). */
function jsonSafe(v: unknown, depth = 0): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (depth > 4000) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonSafe(v[i], depth + 1)) return false;
    return true;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).every((x) => jsonSafe(x, depth + 1));
  return false;
}

/** The seed used when FUZZ_SEED is not set. */
export const DEFAULT_SEED = 0x6d616e69;

/** Manifest `index` of `seed`, built on `base`. */
export function fuzzCase(seed: number, index: number, base: FuzzBase): FuzzCase {
  const rng = new Rng(mulberry32((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0));
  const pick = rng.float();
  const raw = rng.chance(0.2);
  if (pick < 0.15) return finish(index, 'valid', valid(rng, base), [], true);
  if (pick < 0.85) {
    let root: unknown = valid(rng, base);
    const touched: string[] = [];
    let onlyUnknown = true;
    const n = 1 + (rng.chance(0.7) ? 0 : rng.int(4));
    for (let i = 0; i < n; i++) {
      const m = mutate(rng, root, raw);
      root = m.root;
      touched.push(fieldName(m.path));
      onlyUnknown &&= m.unknown;
    }
    return finish(index, 'mutated', root, touched, onlyUnknown);
  }
  return finish(index, 'random', rng.chance(0.6) ? junk(rng, 0, raw) : deepRandomObject(rng, raw), [''], false);
}

/** An object with the manifest's own keys holding random values. */
function deepRandomObject(rng: Rng, raw: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of ['mode', 'origin', 'edges', 'assets', 'sticky', 'probe', 'failover', 'manifestTimeout', 'debug', ...POISON_KEYS])
    if (rng.chance(0.4)) define(o, k, junk(rng, 1, raw));
  return o;
}

function finish(index: number, kind: FuzzCase['kind'], value: unknown, touched: string[], onlyUnknown: boolean): FuzzCase {
  const json = jsonSafe(value);
  return { index, kind, json, touched, onlyUnknown: onlyUnknown && touched.length > 0, value };
}

/** A short, printable description of a case, for failure messages. */
export function describe(seed: number, c: FuzzCase): string {
  let text: string;
  try {
    text = JSON.stringify(c.value, (_, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' || typeof v === 'function' ? String(v) : v));
  } catch (e) {
    text = `(unprintable: ${(e as Error).message})`;
  }
  if (text && text.length > 600) text = text.slice(0, 600) + '…';
  return `seed ${seed} case ${c.index} (${c.kind}, touched ${JSON.stringify(c.touched)}): ${text}`;
}
