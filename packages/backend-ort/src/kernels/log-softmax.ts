import { softmaxKernel } from './softmax.js';

export const logSoftmax = softmaxKernel('LogSoftmax');
