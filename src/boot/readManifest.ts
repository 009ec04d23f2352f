import type { Mode } from '../types.js';
import { ORIGIN, type Rule, type Source } from '../lib/manifest.js';
import { readCache } from '../lib/manifestCache.js';
import { compile, precedence, ruleIndex } from '../lib/rules.js';
import type { Store } from '../lib/store.js';
import { httpUrl } from '../lib/urls.js';

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

/** A source's base URL as manifest.ts makes it; anything it would refuse throws. */
const base = (v: unknown): string => {
  const u = new URL(v as string);
  if (!/^https?:\/\//i.test(v as string) || u.username || u.password || /[?#]/.test(v as string)) throw 0;
  return u.href.replace(/\/+$/, '');
};
const entry = (v: Obj | string, key: string): Obj => (typeof v == 'string' ? { [key]: v } : v);

/** Reads a parsed manifest as manifest.ts would (same sources, ids, rules), without its messages; throws what it would refuse. */
export function readConfig(m: Obj): BootConfig {
  const o = m.origin;
  const rules = (m.assets || []).map((a: Obj | string, i: number) => {
    // (Patterns are not checked here: a rule only says which paths are registered, and the URLs the
    // boot sets are a source's plus the element's own path. The runtime refuses what manifest.ts would.)
    const { path, mode, integrity } = entry(a, 'path');
    const c = compile(path);
    return { path, test: c.test, mode, integrity: integrity?.trim(), k: c.kind, i };
  });
  return {
    mode: m.mode || 'always',
    origin: { id: ORIGIN, url: o ? base(o.url ?? o) : location.origin, weight: o?.weight ?? 1 },
    edges: (m.edges || []).map((e: Obj | string) => {
      const { url, id, weight } = entry(e, 'url');
      const u = base(url);
      return { id: id ?? new URL(u).host, url: u, weight: weight ?? 1 };
    }),
    find: ruleIndex(rules.sort(precedence)),
    sticky: m.sticky,
    retries: m.failover?.retries ?? 1,
    ttl: m.probe?.ttl ?? 3e5,
  };
}

/**
 * The manifest the boot can use at once, or undefined: inline JSON, a `#id` JSON script above the
 * boot, or the copy of a manifest URL that the runtime cached on an earlier page (with none, a first
 * visit, the boot only records, as the loader waits for the manifest today). No messages: whatever
 * the boot cannot use, the runtime reads again, reports and falls back from.
 */
export function readManifest(spec: string, store: Store): BootConfig | undefined {
  try {
    const text = spec.trim();
    if (text[0] === '{') return readConfig(JSON.parse(text));
    if (text[0] === '#') return readConfig(JSON.parse(document.getElementById(text.slice(1))!.textContent!));
    const e = readCache(store, httpUrl(text, location.href))!;
    const m = JSON.parse(e[1]);
    // A copy whose URL has answered nothing usable for longer than it allows is no longer used (source.ts).
    if (!(e[2] && Date.now() - e[2] >= (m.maxStale ?? 864e5))) return readConfig(m);
  } catch {
    // Nothing the boot can use.
  }
}
