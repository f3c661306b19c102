// silu(x) = x·σ(x).
import { sigmoidScalar, unaryKernel } from './unary.js';

export const silu = unaryKernel<'silu'>(() => (v) => v * sigmoidScalar(v));
