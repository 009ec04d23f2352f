/** The classic-script build: starts from its own script tag and exposes `window.CDNLoader`. */
import { startLoader } from './runtime/loader.js';
import { readTag } from './manifest/source.js';

if (window.CDNLoader) console.warn('cdn-loader: included twice; the second copy does nothing');
else
  try {
    // currentScript is null when another script inserted the loader after parsing.
    window.CDNLoader = startLoader(readTag(document.currentScript ?? document.querySelector('script[data-manifest]')));
  } catch (e) {
    console.error('cdn-loader: could not start; resources load as written', e);
  }
