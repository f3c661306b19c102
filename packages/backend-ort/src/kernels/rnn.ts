import { recurrentKernel } from './recurrent.js';

export const rnn = recurrentKernel('rnn');
