import { sigmoidScalar, unaryKernel } from './unary.js';

export const sigmoid = unaryKernel<'sigmoid'>(() => sigmoidScalar);
