import { binaryKernel } from './binary.js';

export const add = binaryKernel('Add');
