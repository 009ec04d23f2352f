import type { CDNLoaderApi } from '../types.js';
import { type TagOptions } from '../manifest/source.js';
import type { Takeover } from './takeover.js';
/**
 * Starts the loader on this page: reads the manifest, binds elements, keeps edges probed. `boot`:
 * what the inline boot started before it (runtime/takeover.ts).
 */
export declare function startLoader(o: TagOptions, boot?: Takeover): CDNLoaderApi;
