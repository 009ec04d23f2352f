/**
 * The runtime (`dist/cdn-loader-runtime.js`), loaded `<script async>` after the inline boot: the
 * one-tag loader that first takes over what the boot started (runtime/takeover.ts).
 */
import { startLoader } from './runtime/loader.js';
import { readTag } from './manifest/source.js';
import { takeover } from './runtime/takeover.js';
import { cacheBoot } from './runtime/bootCache.js';

if (window.CDNLoader) console.warn('cdn-loader: included twice; the second copy does nothing');
else
  try {
    const boot = takeover();
    const o = readTag(document.currentScript);
    // The runtime's tag may leave the manifest to the boot's.
    o.manifest ||= boot?._manifest;
    // And its data-mode, which the boot's choices followed.
    o.mode ??= boot?._mode ?? undefined;
    window.CDNLoader = startLoader(o, boot);
    cacheBoot(!!boot);
  } catch (e) {
    console.error('cdn-loader: could not start; resources load as written', e);
  }
