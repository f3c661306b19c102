import { poolOp } from './pool.js';

export const maxPool1d = poolOp('maxPool1d', 1, 'max');
