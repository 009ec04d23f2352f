import type { CDNLoaderApi } from '../types.js';
import { type TagOptions } from './source.js';
/** The elements the loader looks after. */
export declare const SELECTOR: string;
/** Starts the loader on this page: reads the manifest, binds elements, keeps edges probed. */
export declare function startLoader(o: TagOptions): CDNLoaderApi;
