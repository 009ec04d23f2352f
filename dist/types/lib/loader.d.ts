import type { CDNLoaderApi } from '../types.js';
import { type TagOptions } from './source.js';
/** Starts the loader on this page: reads the manifest, binds elements, keeps edges probed. */
export declare function startLoader(o: TagOptions): CDNLoaderApi;
