import { poolOp } from './pool.js';

export const avgPool1d = poolOp('avgPool1d', 1, 'avg');
