// sigmoid(x) = 1 / (1 + e^-x)
import { unaryOp } from './unary.js';

export const sigmoid = unaryOp('sigmoid');
