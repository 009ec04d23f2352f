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
    /** The rule that registers a path (see ruleIndex). */
    find: (path: string) => Rule | undefined;
    sticky: boolean;
    probe: {
        type: 'image' | 'fetch';
        path: string;
        timeout: number;
        interval: number;
        ttl: number;
    };
    failover: {
        timeout: number | 'auto';
        retries: number;
    };
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
export declare const ORIGIN = "origin";
/** The modes, in the order the messages list them. */
export declare const MODES: readonly string[];
/** Thrown for a manifest that is refused; its message names the field and what is wrong. */
export declare class ManifestError extends Error {
}
/**
 * Validates a parsed manifest against the page it runs on and fills in defaults.
 * Throws ManifestError, whose message names the first field that is wrong.
 */
export declare function parseManifest(input: unknown, pageUrl: string): Config;
/** Returns the rule that registers `path`, or undefined: an unregistered resource is never touched. */
export declare const findRule: (config: Config, path: string) => Rule | undefined;
/** `f`, each answer remembered (up to 1,000 keys, then it starts afresh): the runtime's lookups as it takes the page's elements (written.ts). */
export declare function remember<T>(f: (key: string) => T): (key: string) => T;
