import { mark } from './shared.js';

mark('about');
