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
  // currentScript is null when the loader was inserted by another script after parsing.
  const tag = document.currentScript ?? document.querySelector('script[data-manifest]');
  const { init, getMode, ...rest } = api;
  window.CDNLoader = Object.defineProperty({ ...rest }, 'mode', { get: getMode, enumerable: true }) as Window['CDNLoader'];
  try {
    init(readTag(tag, location.href) as Parameters<typeof init>[0]);
  } catch (e) {
    console.error('cdn-loader: could not start; resources load as written', e);
  }
}
