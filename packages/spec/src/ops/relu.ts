// relu(x) = max(x, 0)
import { unaryOp } from './unary.js';

export const relu = unaryOp('relu');
