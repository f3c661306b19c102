import { avgPoolOp } from './pool.js';

export const avgPool1d = avgPoolOp('avgPool1d', 1);
