// gelu, approximate "none": x·Φ(x) = 0.5x(1 + erf(x/√2));
// approximate "tanh": 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
import { z } from 'zod';
import { unaryOp } from './unary.js';

export const gelu = unaryOp('gelu', { approximate: z.enum(['none', 'tanh']).default('none') });
