import { poolKernel } from './pool.js';

export const avgPool2d = poolKernel<'avgPool2d'>('avg', 2);
