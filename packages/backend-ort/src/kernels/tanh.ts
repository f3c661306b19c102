import { unaryKernel } from './unary.js';

export const tanh = unaryKernel<'tanh'>('Tanh');
