import { convKernel } from './conv.js';

export const conv2d = convKernel(2);
