import { softmaxKernel } from './softmax-family.js';

export const logSoftmax = softmaxKernel('logSoftmax');
