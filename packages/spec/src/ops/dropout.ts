// nn.Dropout: the identity at inference; `p` is accepted and ignored.
import { z } from 'zod';
import { defineOp, probability } from './common.js';
import { elementwise, unaryBase } from './unary.js';

export const dropout = defineOp({
  ...unaryBase('dropout', 'nn.Dropout: the identity at inference', {
    p: probability
      .default(0.5)
      .describe(
        '`p` of nn.Dropout: the chance of zeroing an element in training; unused at inference',
      ),
    inplace: z
      .boolean()
      .default(false)
      .describe('`inplace` of nn.Dropout: accepted as nn.Dropout takes it; no effect'),
  }),
  flops: elementwise(0), // a copy
  examples: [{ input: { shape: [2, 3] }, node: { p: 0.3 }, shape: [2, 3] }],
});
