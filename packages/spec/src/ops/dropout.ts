// nn.Dropout: the identity at inference; `p` is accepted and ignored.
import { z } from 'zod';
import { defineOp, probability } from './common.js';
import { elementwise, unaryBase } from './unary.js';

export const dropout = defineOp({
  ...unaryBase('dropout', { p: probability.default(0.5), inplace: z.boolean().default(false) }),
  flops: elementwise(0), // a copy
  examples: [{ input: { shape: [2, 3] }, node: { p: 0.3 }, shape: [2, 3] }],
});
