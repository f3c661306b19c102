import { binaryKernel } from './binary.js';

export const mul = binaryKernel('Mul');
