/** The classic-script build: starts from its own script tag and exposes `window.CDNLoader`. */
import * as api from './index.js';
import { readTag } from './lib/source.js';

declare global {
  interface Window {
    CDNLoader?: Omit<typeof api, 'getMode' | 'init'> & { readonly mode: ReturnType<typeof api.getMode> };
  }
}

if (window.CDNLoader) console.warn('cdn-loader: included twice; the second copy does nothing');
else {
  const { init, getMode, ...rest } = api;
  window.CDNLoader = Object.defineProperty(rest, 'mode', { get: getMode, enumerable: true }) as Window['CDNLoader'];
  // currentScript is null when another script inserted the loader after parsing.
  init(readTag(document.currentScript ?? document.querySelector('script[data-manifest]'), location.href) as Parameters<typeof init>[0]);
}
