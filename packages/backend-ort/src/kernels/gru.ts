import { recurrentKernel } from './recurrent.js';

export const gru = recurrentKernel('gru');
