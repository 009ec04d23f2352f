import type { Rule } from './manifest.js';

/**
 * Compiles a glob once into literal runs and stars; the matcher runs in time proportional to
 * pattern × path: `*` stands for any run within a segment, `**` for any run across segments. (A
 * regular expression would backtrack exponentially on patterns such as `/*a*a*a*a*b`, and the
 * manifest comes from the network.)
 */
export function glob(pattern: string): (path: string) => boolean {
  // Even indexes: literal runs; odd ones: "*" or "**".
  const parts = pattern.split(/(\*\*?)/);
  return (path) => {
    // ok[j]: the pattern so far matches the first j characters of the path.
    let ok = [1];
    parts.forEach((p, t) => {
      const next: number[] = [];
      for (let j = 0; p && j <= path.length; j++)
        if (t % 2) next[j] = ok[j] || (next[j - 1] && (p[1] || path[j - 1] !== '/') ? 1 : 0);
        else if (ok[j] && path.startsWith(p, j)) next[j + p.length] = 1;
      if (p) ok = next;
    });
    return !!ok[path.length];
  };
}

/**
 * Compiles one assets pattern: its kind `k`, exact path (0), glob (1: `*` in a segment, `**` across), or
 * prefix (2: ends in `/`, the glob of that folder's every path), and its matcher.
 */
export function compile(pattern: string): { k: number; test: (path: string) => boolean } {
  const k = pattern.includes('*') ? 1 : pattern.endsWith('/') ? 2 : 0;
  return { k, test: glob(k > 1 ? pattern + '**' : pattern) };
}

/** Rules in order of precedence: exact paths, then globs, then prefixes (compile's `k`); longer first; then as written. */
export const precedence = (a: { k: number; path: string; i: number }, b: { k: number; path: string; i: number }): number =>
  a.k - b.k || b.path.length - a.path.length || a.i - b.i;

/**
 * Indexes rules, given in order of precedence (the first that matches wins), so that finding the rule
 * of a path costs the same with 10,000 rules as with one. Each rule sits in a bucket named by the only
 * prefix of a path it can match: an exact path or prefix by itself, a glob by the folder before its
 * first `*`. A path then looks only in the buckets of its own folders and of itself, and the first rule
 * there that matches wins, as in a scan of the whole list. Query and fragment are ignored.
 */
export function ruleIndex(rules: Rule[]): (path: string) => Rule | undefined {
  const buckets = new Map<string, number[]>();
  rules.forEach(({ path }, i) => {
    const star = path.indexOf('*');
    const key = star < 0 ? path : path.slice(0, path.lastIndexOf('/', star) + 1);
    (buckets.get(key) || buckets.set(key, []).get(key)!).push(i);
  });
  return (path) => {
    const p = path.replace(/[?#].*/, '');
    let first = rules.length;
    for (let i = 0; i <= p.length; i++)
      if (p[i] === '/' || i === p.length) for (const r of buckets.get(p.slice(0, i + 1)) || []) if (r < first && rules[r].test(p)) first = r;
    return rules[first];
  };
}
