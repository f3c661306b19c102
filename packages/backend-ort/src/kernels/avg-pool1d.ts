import { poolKernel } from './pool.js';

export const avgPool1d = poolKernel(1, 'avg');
