import { poolKernel } from './pool.js';

export const avgPool1d = poolKernel<'avgPool1d'>('avg', 1);
