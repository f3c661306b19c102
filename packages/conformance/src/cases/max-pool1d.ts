import { poolVariants } from './pools.js';

export const maxPool1dCases = poolVariants('maxPool1d');
