import { maxPoolOp } from './pool.js';

export const maxPool2d = maxPoolOp('maxPool2d', 2);
