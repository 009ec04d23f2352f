import type { Mode } from '../types.js';
import { ORIGIN, type Rule, type Source } from '../manifest/manifest.js';
import { compile, precedence, ruleIndex } from '../manifest/rules.js';

/** What the boot reads of a manifest. */
export interface BootConfig {
  mode: Mode;
  origin: Source;
  edges: Source[];
  find: (path: string) => Rule | undefined;
  sticky?: boolean;
  retries: number;
  /** How long remembered health holds (probe.ttl). */
  ttl: number;
}

type Obj = Record<string, any>;

const entry = (v: Obj | string, key: string): Obj => (typeof v == 'string' ? { [key]: v } : v);
/**
 * A source as manifest.ts makes it: its base URL, and its id: `id` (the origin's), the entry's, or its
 * URL's host. A URL it would refuse throws.
 */
const source = (v: Obj | string, id?: string): Source => {
  const e = entry(v, 'url');
  const u = new URL(e.url);
  // (No space, no query, no fragment.)
  if (!/^https?:\/\/[^\s?#]+$/i.test(e.url) || u.username || u.password) throw 0;
  return { id: id ?? e.id ?? u.host, url: u.href.replace(/\/+$/, ''), weight: e.weight ?? 1 };
};

/** Reads a parsed manifest as manifest.ts would (same sources, ids, rules), without its messages; throws what it would refuse. */
export function readConfig(m: Obj): BootConfig {
  const rules = (m.assets || []).map((a: Obj | string, i: number) => {
    // (Patterns are not checked here: a rule only says which paths are registered, and the URLs the
    // boot sets are a source's plus the element's own path. The runtime refuses what manifest.ts would.)
    const { path, mode, integrity } = entry(a, 'path');
    return { path, ...compile(path), mode, integrity: integrity?.trim(), i };
  });
  return {
    mode: m.mode || 'always',
    // (No origin: the page's.)
    origin: source(m.origin || location.origin, ORIGIN),
    edges: (m.edges || []).map((e: Obj | string) => source(e)),
    find: ruleIndex(rules.sort(precedence)),
    sticky: m.sticky,
    retries: m.failover?.retries ?? 1,
    ttl: m.probe?.ttl ?? 3e5,
  };
}

/**
 * The manifest the boot can use at once, or undefined: inline JSON, or a `#id` JSON script above the
 * boot. A manifest URL is left to the runtime (the boot only records then): its round trip is what the
 * boot is there to save, and the Vite plugin and `cdn-loader rewrite` always inline it. No messages:
 * whatever the boot cannot use, the runtime reads again, reports and falls back from.
 */
export function readManifest(spec: string): BootConfig | undefined {
  try {
    const text = spec.trim();
    return readConfig(JSON.parse(text[0] == '#' ? document.getElementById(text.slice(1))!.textContent! : text));
  } catch {
    // Nothing the boot can use (a URL is not JSON).
  }
}
