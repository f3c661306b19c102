import { poolKernel } from './pool.js';

export const avgPool2d = poolKernel(2, 'avg');
