import { poolOp } from './pool.js';

export const avgPool2d = poolOp('avgPool2d', 2, 'avg');
