import { mark } from './shared.js';

mark('main');
// A dynamic import: its chunk, its stylesheet and an image it creates come from the edge that served this module.
import('./lazy.js').then((m) => m.show());
