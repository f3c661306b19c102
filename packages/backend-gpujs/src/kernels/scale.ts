import { unaryKernel } from './unary.js';

export const scale = unaryKernel('scale');
