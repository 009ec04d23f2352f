// Browser entry of the React app: hydrates #root when the test says so (after the loader has set every
// image's src, the case of a visit with the manifest cached).
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { App } from './reactApp.js';

const w = window as unknown as { hydrate: () => void; __pattern: boolean };
w.hydrate = () => {
  hydrateRoot(document.getElementById('root')!, createElement(App, { pattern: w.__pattern }));
};
