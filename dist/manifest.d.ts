export type * from './types/manifestTypes.js';
