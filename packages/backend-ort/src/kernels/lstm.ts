import { recurrentKernel } from './recurrent.js';

export const lstm = recurrentKernel('lstm');
