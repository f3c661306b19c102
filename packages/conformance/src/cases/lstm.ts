import { recurrentVariants } from './recurrent.js';

export const lstmCases = recurrentVariants('lstm');
