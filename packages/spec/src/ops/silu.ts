// silu(x) = x · sigmoid(x)
import { unaryOp } from './unary.js';

export const silu = unaryOp('silu');
