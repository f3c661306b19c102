// Dropout is the identity at inference.
import { unaryKernel } from './unary.js';

export const dropout = unaryKernel<'dropout'>('Identity');
