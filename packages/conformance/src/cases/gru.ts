import { recurrentVariants } from './recurrent.js';

export const gruCases = recurrentVariants('gru');
