import { binaryKernel } from './binary.js';

export const mul = binaryKernel<'mul'>((p, q) => p * q);
