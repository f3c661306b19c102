// nn.Dropout: the identity at inference; `p` is accepted and ignored.
import { z } from 'zod';
import { probability } from './common.js';
import { unaryOp } from './unary.js';

export const dropout = unaryOp('dropout', {
  p: probability.default(0.5),
  inplace: z.boolean().default(false),
});
