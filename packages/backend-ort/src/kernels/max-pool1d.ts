import { poolKernel } from './pool.js';

export const maxPool1d = poolKernel(1, 'max');
