import { unaryOp } from './unary.js';

export const tanh = unaryOp('tanh');
