import { poolVariants } from './pools.js';

export const avgPool2dCases = poolVariants('avgPool2d');
