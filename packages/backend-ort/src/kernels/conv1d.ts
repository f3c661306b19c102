import { convKernel } from './conv.js';

export const conv1d = convKernel(1);
