import { softmaxKernel } from './softmax-family.js';

export const softmax = softmaxKernel('softmax');
