import { poolKernel } from './pool.js';

export const maxPool2d = poolKernel(2, 'max');
