import { poolKernel } from './pool.js';

export const maxPool2d = poolKernel<'maxPool2d'>('max', 2);
