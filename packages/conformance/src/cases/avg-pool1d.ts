import { poolVariants } from './pools.js';

export const avgPool1dCases = poolVariants('avgPool1d');
