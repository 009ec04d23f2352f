import type { EdgeStatus, Mode } from '../types.js';
import { type TagOptions } from './source.js';
import { on } from './events.js';
/** The elements the loader looks after. */
export declare const SELECTOR: string;
/** One row of `report()`. */
export interface Row {
    element: Element;
    path: string;
    source: string;
    url: string;
    state: 'loading' | 'loaded' | 'failed';
    tried: string[];
}
/** The loader's API (`window.CDNLoader`). */
export interface Loader {
    readonly mode: Mode;
    on: typeof on;
    setMode(mode: Mode): void;
    edges(): EdgeStatus[];
    probe(): Promise<EdgeStatus[]>;
    resolve(path: string): string;
    load(path: string): Promise<Element>;
    report(): Row[];
}
/** Starts the loader on this page: reads the manifest, binds elements, keeps edges probed. */
export declare function startLoader(o: TagOptions): Loader;
