// relu(x) = max(0, x); NaN stays NaN (as torch.relu).
import { unaryKernel } from './unary.js';

export const relu = unaryKernel<'relu'>(() => (v) => (v > 0 ? v : Number.isNaN(v) ? v : 0));
