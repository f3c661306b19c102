import { poolKernel } from './pool.js';

export const maxPool1d = poolKernel<'maxPool1d'>('max', 1);
