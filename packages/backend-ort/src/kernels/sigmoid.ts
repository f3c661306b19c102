import { unaryKernel } from './unary.js';

export const sigmoid = unaryKernel<'sigmoid'>('Sigmoid');
