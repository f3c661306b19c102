// x · factor for a constant factor (torch.mul(x, 0.125)): attention's 1/√d on its scores.
import { z } from 'zod';
import { defineOp, float, nodeBase, pointwise } from './common.js';

export const scale = defineOp({
  op: 'scale',
  schema: z.strictObject({
    ...nodeBase,
    op: z.literal('scale').describe('x · factor for a constant factor, as torch.mul(x, 0.125)'),
    factor: z.number().min(-1e30).max(1e30).describe('the constant every element is multiplied by'),
  }),
  arity: [1, 1],
  decode: pointwise,
  infer(_a, [x]) {
    return { out: float([...x.shape]) };
  },
  flops: (_a, { out }) => out.reduce((p, d) => p * d, 1),
  fuzz: (d) => ({ attrs: { factor: d.pick([0.5, -2, 1 / Math.sqrt(3)]) } }),
  examples: [{ input: { shape: ['b', 3] }, node: { factor: 0.25 }, shape: ['b', 3] }],
});
