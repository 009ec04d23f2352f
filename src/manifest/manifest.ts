import type { Mode } from '../types.js';
import { compile, precedence, ruleIndex } from './rules.js';

/** A place a resource can come from: an edge or the origin. */
export interface Source {
  id: string;
  /** Absolute URL without a trailing slash; the asset path is appended to it. */
  url: string;
  weight: number;
}

/** A compiled `assets` entry. Rules are kept sorted: exact, then globs, then prefixes, longest first. */
export interface Rule {
  path: string;
  test: (path: string) => boolean;
  mode?: Mode;
  integrity?: string;
}

/** A manifest after validation, with every default filled in. */
export interface Config {
  mode: Mode;
  origin: Source;
  edges: Source[];
  rules: Rule[];
  /** The rule that registers a path (see ruleIndex). */
  find: (path: string) => Rule | undefined;
  sticky: boolean;
  probe: { type: 'image' | 'fetch'; path: string; timeout: number; interval: number; ttl: number };
  failover: { timeout: number | 'auto'; retries: number };
  debug: boolean;
  manifestTimeout: number;
  /** Ms a cached copy is still used while the manifest URL answers nothing usable. */
  maxStale: number;
  /** Path of the service worker the page registers (`serviceWorker`); absent: none, and one left over steps down. */
  worker?: string;
  /** The manifest as written (what the page hands the service worker). */
  _raw: unknown;
}

/** The id of the origin among sources (an edge may not take it). */
export const ORIGIN = 'origin';
/** The modes, in the order the messages list them. */
export const MODES: readonly string[] = ['always', 'round-robin', 'off'];

/** Thrown for a manifest that is refused; its message names the field and what is wrong. */
export class ManifestError extends Error {}

type Obj = Record<string, unknown>;

const show = (v: unknown): string => {
  // BigInt (possible in a manifest object given to init()) has no JSON form.
  const s = Array.isArray(v) ? 'an array' : v && typeof v === 'object' ? 'an object' : typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
};

const fail = (field: string, v: unknown, problem: string): never => {
  throw new ManifestError(`cdn-loader: manifest${field && '.' + field}: ${show(v)} ${problem}`);
};

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Reads an own property only, so `__proto__` and friends are data, never followed. */
const own = (o: Obj, key: string): unknown => ({}.hasOwnProperty.call(o, key) ? o[key] : undefined);

/** Reads the own fields of `o`, the manifest's object at `at` ("probe.", or '' at the top): [the name messages give, the value]. */
const fields =
  (o: Obj, at = '') =>
  (k: string): [string, unknown] => [at + k, own(o, k)];

/** A list entry written as a string (its `key`) or as an object. */
const entry = (f: string, v: unknown, key: string, what: string): Obj =>
  typeof v === 'string' ? { [key]: v } : isObj(v) ? v : fail(f, v, `is not ${what} or an object with "${key}"`);

const obj = (f: string, v: unknown): Obj => (v === undefined ? {} : isObj(v) ? v : fail(f, v, 'is not an object'));

// Array.from fills the holes of a sparse array (only an init() object can have them) with undefined.
const list = (f: string, v: unknown, max: number): unknown[] =>
  v === undefined ? [] : !Array.isArray(v) ? fail(f, v, 'is not an array') : v.length > max ? fail(f, v, `has more than ${max} entries`) : Array.from(v);

function num(f: string, v: unknown, dflt: number, min: number, max: number, whole?: boolean): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= min && v <= max) || (whole && v % 1)) fail(f, v, `is not a ${whole ? 'whole ' : ''}number from ${min} to ${max}`);
  return v as number;
}

const bool = (f: string, v: unknown): boolean => (v === undefined ? false : typeof v === 'boolean' ? v : fail(f, v, 'is not true or false'));

const oneOf = <T extends string>(f: string, v: unknown, options: readonly string[]): T | undefined =>
  v === undefined || options.includes(v as string) ? (v as T) : fail(f, v, `is not one of ${options.map((o) => `"${o}"`).join(', ')}`);

// Browsers block http: subresources on https: pages, except from loopback hosts.
const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d+){3}|\[::1\])$/;

/**
 * An absolute http(s) base URL, returned without a trailing slash. No whitespace: Chromium's URL parser
 * accepts "https://exa mple.org", and every parser drops tabs and line breaks (the boot tests the same).
 */
function base(f: string, v: unknown, page: URL): string {
  let u: URL | false | undefined;
  try {
    u = typeof v === 'string' && /^https?:\/\/\S+$/i.test(v) && new URL(v);
  } catch {
    // Falls through to the message below.
  }
  if (!u) return fail(f, v, 'is not an http(s) URL');
  if (u.username || u.password || /[?#]/.test(v as string)) fail(f, v, 'has credentials, a query or a fragment');
  if (page.protocol === 'https:' && u.protocol === 'http:' && !LOOPBACK.test(u.hostname)) fail(f, v, 'is http: on an https: page (mixed content)');
  return u.href.replace(/\/+$/, '');
}

const path = (f: string, v: unknown): string =>
  typeof v === 'string' && /^\/(?!\/)[^\s\\<>"'`]{0,2047}$/.test(v) ? v : fail(f, v, 'is not a path starting with one "/"');

const SRI = /^(sha(256|384|512)-[\w+/]+={0,2}\s*)+$/;

/**
 * Validates a parsed manifest against the page it runs on and fills in defaults.
 * Throws ManifestError, whose message names the first field that is wrong.
 */
export function parseManifest(input: unknown, pageUrl: string): Config {
  const page = new URL(pageUrl);
  if (!isObj(input)) return fail('', input, 'is not a JSON object');
  const get = fields(input);
  const o = own(input, 'origin');
  const ids = new Set([ORIGIN]);
  const edges = list(...get('edges'), 64).map((e, i): Source => {
    let f = `edges[${i}]`;
    const eo = entry(f, e, 'url', 'a URL');
    const url = base(typeof e === 'string' ? f : f + '.url', own(eo, 'url'), page);
    let id = own(eo, 'id');
    // A default id is the host (IPv6 brackets and all); a written one is a plain name.
    if (id === undefined) id = new URL(url).host;
    else {
      f += '.id';
      if (typeof id !== 'string' || !/^[\w.:-]{1,64}$/.test(id)) fail(f, id, 'is not a name of letters, digits and _-.:');
    }
    if (ids.has(id as string)) fail(f, id, 'is taken: give each edge its own "id"');
    ids.add(id as string);
    return { id: id as string, url, weight: num(`edges[${i}].weight`, own(eo, 'weight'), 1, 0, 1e6) };
  });
  const rules = list(...get('assets'), 1e4)
    .map((a, i) => {
      const f = `assets[${i}]`;
      const ao = entry(f, a, 'path', 'a path');
      const p = path(typeof a === 'string' ? f : f + '.path', own(ao, 'path'));
      const sri = own(ao, 'integrity');
      const c = compile(p);
      if (sri !== undefined && (typeof sri !== 'string' || !SRI.test(sri) || c.k))
        fail(f + '.integrity', sri, c.k ? 'needs an exact path, not a prefix or glob' : 'is not an SRI hash such as "sha384-…"');
      return { path: p, ...c, mode: oneOf<Mode>(f + '.mode', own(ao, 'mode'), MODES), integrity: (sri as string | undefined)?.trim(), i };
    })
    .sort(precedence);
  const probe = fields(obj(...get('probe')), 'probe.');
  const failover = fields(obj(...get('failover')), 'failover.');
  const ft = failover('timeout');
  const pp = probe('path');
  const sw = own(input, 'serviceWorker');
  return {
    mode: oneOf<Mode>(...get('mode'), MODES) ?? 'always',
    origin: {
      id: ORIGIN,
      url: o === undefined ? page.origin : base(isObj(o) ? 'origin.url' : 'origin', isObj(o) ? own(o, 'url') : o, page),
      weight: isObj(o) ? num('origin.weight', own(o, 'weight'), 1, 0, 1e6) : 1,
    },
    edges,
    rules,
    find: ruleIndex(rules),
    sticky: bool(...get('sticky')),
    probe: {
      type: oneOf<'image' | 'fetch'>(...probe('type'), ['image', 'fetch']) ?? 'image',
      path: pp[1] === undefined ? '/cdn-probe.gif' : path(...pp),
      timeout: num(...probe('timeout'), 2000, 50, 6e4),
      interval: num(...probe('interval'), 3e4, 1000, 864e5),
      ttl: num(...probe('ttl'), 3e5, 0, 864e5),
    },
    failover: {
      timeout: ft[1] === undefined || ft[1] === 'auto' ? 'auto' : num(...ft, 0, 50, 6e4),
      retries: num(...failover('retries'), 1, 0, 64, true),
    },
    debug: bool(...get('debug')),
    manifestTimeout: num(...get('manifestTimeout'), 1500, 0, 6e4),
    maxStale: num(...get('maxStale'), 864e5, 0, 2592e6),
    // Only cdn-loader's own worker file, without a query: the page imports and registers it, and a manifest
    // must never name other code for the page to run.
    worker: sw === undefined ? sw : /^\/(?:[\w.-]+\/)*cdn-loader-sw\.js$/.test(sw as string) ? (sw as string) : fail('serviceWorker', sw, 'is not a path to cdn-loader-sw.js'),
    // The manifest as written, for the service worker, which validates it again for itself.
    _raw: input,
  };
}

/** Returns the rule that registers `path`, or undefined: an unregistered resource is never touched. */
export const findRule = (config: Config, path: string): Rule | undefined => config.find(path);

/** `f`, each answer remembered (up to 1,000 keys, then it starts afresh): the runtime's lookups as it takes the page's elements (written.ts). */
export function remember<T>(f: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => (known.has(key) || (known.size > 999 && known.clear(), known.set(key, f(key))), known.get(key)!);
}
