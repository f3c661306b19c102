import { unaryKernel } from './unary.js';

export const silu = unaryKernel('silu');
