import { poolOp } from './pool.js';

export const maxPool2d = poolOp('maxPool2d', 2, 'max');
