import { unaryKernel } from './unary.js';

export const relu = unaryKernel<'relu'>('Relu');
