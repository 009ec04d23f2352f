import type { Rule } from './manifest.js';
/**
 * Compiles a glob once into literal runs and stars; the matcher runs in time proportional to
 * pattern × path: `*` stands for any run within a segment, `**` for any run across segments. (A
 * regular expression would backtrack exponentially on patterns such as `/*a*a*a*a*b`, and the
 * manifest comes from the network.)
 */
export declare function glob(pattern: string): (path: string) => boolean;
/**
 * Compiles one assets pattern: its kind `k`, exact path (0), glob (1: `*` in a segment, `**` across), or
 * prefix (2: ends in `/`, the glob of that folder's every path), and its matcher.
 */
export declare function compile(pattern: string): {
    k: number;
    test: (path: string) => boolean;
};
/** Rules in order of precedence: exact paths, then globs, then prefixes (compile's `k`); longer first; then as written. */
export declare const precedence: (a: {
    k: number;
    path: string;
    i: number;
}, b: {
    k: number;
    path: string;
    i: number;
}) => number;
/**
 * Indexes rules, given in order of precedence (the first that matches wins), so that finding the rule
 * of a path costs the same with 10,000 rules as with one. Each rule sits in a bucket named by the only
 * prefix of a path it can match: an exact path or prefix by itself, a glob by the folder before its
 * first `*`. A path then looks only in the buckets of its own folders and of itself, and the first rule
 * there that matches wins, as in a scan of the whole list. Query and fragment are ignored.
 */
export declare function ruleIndex(rules: Rule[]): (path: string) => Rule | undefined;
