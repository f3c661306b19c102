import { maxPoolOp } from './pool.js';

export const maxPool1d = maxPoolOp('maxPool1d', 1);
