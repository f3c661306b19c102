import { avgPoolOp } from './pool.js';

export const avgPool2d = avgPoolOp('avgPool2d', 2);
