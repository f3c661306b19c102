// gelu, approximate "none": x·Φ(x) = 0.5x(1 + erf(x/√2));
// approximate "tanh": 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
import { z } from 'zod';
import { count, defineOp } from './common.js';
import { unaryBase } from './unary.js';

export const gelu = defineOp({
  ...unaryBase('gelu', 'nn.GELU: x · Φ(x), Φ the standard normal CDF, elementwise', {
    approximate: z
      .enum(['none', 'tanh'])
      .default('none')
      .describe(
        "`approximate` of nn.GELU: 'none' for the exact erf form, 'tanh' for 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))",
      ),
  }),
  // none: scale, erf, add, two products (5); tanh: the cubic polynomial and tanh (8).
  flops: (a, { out }) => (a.approximate === 'tanh' ? 8 : 5) * count(out),
  fuzz: (d) => ({ attrs: { approximate: d.pick(['none', 'tanh'] as const) } }),
  examples: [{ input: { shape: [2, 3] }, node: { approximate: 'tanh' }, shape: [2, 3] }],
});
