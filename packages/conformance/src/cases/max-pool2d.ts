import { poolVariants } from './pools.js';

export const maxPool2dCases = poolVariants('maxPool2d');
