import { unaryKernel } from './unary.js';

export const gelu = unaryKernel('gelu');
