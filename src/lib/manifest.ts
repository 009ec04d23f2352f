import type { Mode } from '../types.js';

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
  sticky: boolean;
  probe: { type: 'image' | 'fetch'; path: string; timeout: number; interval: number; ttl: number };
  failover: { timeout: number | 'auto'; retries: number };
  debug: boolean;
  manifestTimeout: number;
}

export const ORIGIN = 'origin';
const MODES: readonly string[] = ['always', 'round-robin', 'off'];
const MAX_EDGES = 64;
const MAX_ASSETS = 10000;

/** Thrown for a manifest that is refused; its message names the field and what is wrong. */
export class ManifestError extends Error {}

const show = (v: unknown): string => {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v);
  } catch {
    s = typeof v;
  }
  return s.length > 80 ? s.slice(0, 77) + '…"' : s;
};

const fail = (field: string, value: unknown, problem: string): never => {
  throw new ManifestError(`cdn-loader: manifest${field ? '.' + field : ''}: ${show(value)} ${problem}`);
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads an own property only, so `__proto__` and friends are never followed. */
const own = (o: Record<string, unknown>, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;

const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Validates an absolute http(s) base URL and returns it without a trailing slash. */
function baseUrl(field: string, v: unknown, page: URL): string {
  if (typeof v !== 'string' || !v) return fail(field, v, 'is not a URL string');
  if (!/^https?:\/\//i.test(v)) return fail(field, v, 'is not an http(s) URL');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return fail(field, v, 'is not a valid URL');
  }
  if (u.username || u.password) fail(field, v, 'must not contain credentials');
  if (u.search || u.hash || v.includes('?') || v.includes('#')) fail(field, v, 'must not have a query or fragment');
  // Browsers block http: subresources on https: pages, except on loopback hosts.
  if (page.protocol === 'https:' && u.protocol === 'http:' && !LOOPBACK.test(u.hostname))
    fail(field, v, 'is http: on an https: page (mixed content); use https:');
  return u.href.replace(/\/+$/, '');
}

function weight(field: string, v: unknown): number {
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !(v >= 0) || v > 1e6) return fail(field, v, 'is not a number from 0 to 1000000');
  return v;
}

function mode(field: string, v: unknown): Mode | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !MODES.includes(v)) return fail(field, v, 'is not one of "always", "round-robin", "off"');
  return v as Mode;
}

function number(field: string, v: unknown, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= min && v <= max)) return fail(field, v, `is not a number from ${min} to ${max}`);
  return v;
}

function bool(field: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') return fail(field, v, 'is not true or false');
  return v;
}

function object(field: string, v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isObject(v)) return fail(field, v, 'is not an object');
  return v;
}

const SAFE_PATH = /^\/[^\s\\<>"'`]*$/;
const SRI = /^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}(\s+(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2})*$/;

function path(field: string, v: unknown): string {
  if (typeof v !== 'string' || !SAFE_PATH.test(v) || v.startsWith('//') || v.length > 2048)
    return fail(field, v, 'is not a path starting with a single "/"');
  return v;
}

/** Compiles one assets pattern: exact path, prefix (ends in `/`), or glob (`*` in a segment, `**` across). */
export function compile(pattern: string): { kind: number; test: (path: string) => boolean } {
  if (pattern.includes('*')) {
    const src = pattern
      .split('**')
      .map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
      .join('.*');
    const re = new RegExp('^' + src + '$');
    return { kind: 1, test: (p) => re.test(p) };
  }
  if (pattern.endsWith('/')) return { kind: 2, test: (p) => p.startsWith(pattern) };
  return { kind: 0, test: (p) => p === pattern };
}

function rules(v: unknown): Rule[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return fail('assets', v, 'is not an array');
  if (v.length > MAX_ASSETS) fail('assets', v, `has more than ${MAX_ASSETS} entries`);
  const out: (Rule & { kind: number; i: number })[] = [];
  v.forEach((entry, i) => {
    const f = `assets[${i}]`;
    let p: string;
    let m: Mode | undefined;
    let integrity: string | undefined;
    if (typeof entry === 'string') p = path(f, entry);
    else if (isObject(entry)) {
      p = path(f + '.path', own(entry, 'path'));
      m = mode(f + '.mode', own(entry, 'mode'));
      const sri = own(entry, 'integrity');
      if (sri !== undefined) {
        if (typeof sri !== 'string' || !SRI.test(sri.trim())) fail(f + '.integrity', sri, 'is not an SRI hash such as "sha384-…"');
        if (p.includes('*') || p.endsWith('/')) fail(f + '.integrity', sri, 'needs an exact path, not a prefix or glob');
        integrity = (sri as string).trim();
      }
    } else return fail(f, entry, 'is not a path string or an object with "path"');
    const c = compile(p);
    out.push({ path: p, test: c.test, mode: m, integrity, kind: c.kind, i });
  });
  out.sort((a, b) => a.kind - b.kind || b.path.length - a.path.length || a.i - b.i);
  return out.map(({ path, test, mode, integrity }) => ({ path, test, mode, integrity }));
}

function edges(v: unknown, page: URL): Source[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return fail('edges', v, 'is not an array');
  if (v.length > MAX_EDGES) fail('edges', v, `has more than ${MAX_EDGES} entries`);
  const seen = new Set<string>([ORIGIN]);
  return v.map((entry, i) => {
    const f = `edges[${i}]`;
    const e = typeof entry === 'string' ? { url: entry } : isObject(entry) ? entry : fail(f, entry, 'is not a URL string or an object with "url"');
    const url = baseUrl(typeof entry === 'string' ? f : f + '.url', own(e, 'url'), page);
    const rawId = own(e, 'id');
    if (rawId !== undefined && (typeof rawId !== 'string' || !/^[\w.:-]{1,64}$/.test(rawId)))
      fail(f + '.id', rawId, 'is not a name of 1 to 64 letters, digits, "_", "-", ".", ":"');
    const id = (rawId as string | undefined) ?? new URL(url).host;
    if (seen.has(id)) fail(f + '.id', id, rawId === undefined ? 'is the host of another edge too; give each an "id"' : 'is used twice (or is the reserved "origin")');
    seen.add(id);
    return { id, url, weight: weight(f + '.weight', own(e, 'weight')) };
  });
}

/**
 * Validates a parsed manifest against the page it runs on and fills in defaults.
 * Throws ManifestError, whose message names the first field that is wrong.
 */
export function parseManifest(input: unknown, pageUrl: string): Config {
  const page = new URL(pageUrl);
  if (!isObject(input)) return fail('', input, 'is not a JSON object');
  const o = input;
  const rawOrigin = own(o, 'origin');
  let origin: Source;
  if (rawOrigin === undefined) origin = { id: ORIGIN, url: page.origin, weight: 1 };
  else if (isObject(rawOrigin))
    origin = { id: ORIGIN, url: baseUrl('origin.url', own(rawOrigin, 'url'), page), weight: weight('origin.weight', own(rawOrigin, 'weight')) };
  else origin = { id: ORIGIN, url: baseUrl('origin', rawOrigin, page), weight: 1 };
  const probe = object('probe', own(o, 'probe'));
  const type = own(probe, 'type') ?? 'image';
  if (type !== 'image' && type !== 'fetch') fail('probe.type', type, 'is not "image" or "fetch"');
  const failover = object('failover', own(o, 'failover'));
  const ft = own(failover, 'timeout');
  const retries = number('failover.retries', own(failover, 'retries'), 1, 0, MAX_EDGES);
  if (!Number.isInteger(retries)) fail('failover.retries', retries, 'is not a whole number');
  return {
    mode: mode('mode', own(o, 'mode')) ?? 'always',
    origin,
    edges: edges(own(o, 'edges'), page),
    rules: rules(own(o, 'assets')),
    sticky: bool('sticky', own(o, 'sticky')),
    probe: {
      type: type as 'image' | 'fetch',
      path: own(probe, 'path') === undefined ? '/cdn-probe.gif' : path('probe.path', own(probe, 'path')),
      timeout: number('probe.timeout', own(probe, 'timeout'), 2000, 50, 60000),
      interval: number('probe.interval', own(probe, 'interval'), 30000, 1000, 86400000),
      ttl: number('probe.ttl', own(probe, 'ttl'), 300000, 0, 86400000),
    },
    failover: {
      timeout: ft === undefined || ft === 'auto' ? 'auto' : number('failover.timeout', ft, 0, 50, 60000),
      retries,
    },
    debug: bool('debug', own(o, 'debug')),
    manifestTimeout: number('manifestTimeout', own(o, 'manifestTimeout'), 1500, 0, 60000),
  };
}

/** The configuration used when no valid manifest is known: every resource as written, from the origin. */
export function originOnly(pageUrl: string): Config {
  return parseManifest({ mode: 'off' }, pageUrl);
}

/** Returns the rule that registers `path`, or undefined: an unregistered resource is never touched. */
export function findRule(config: Config, path: string): Rule | undefined {
  const pathname = path.replace(/[?#].*$/, '');
  return config.rules.find((r) => r.test(pathname));
}
