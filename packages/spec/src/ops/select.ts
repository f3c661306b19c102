// torch.select(x, dim, index): drops `dim`, keeping slice `index` (negative counts from the end,
// so index -1 is the last time step).
import { z } from 'zod';
import { anyInt, axis, defineOp, fail, nodeBase, pointwiseOver } from './common.js';

export const select = defineOp({
  op: 'select',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('select')
      .describe(
        'torch.select(x, dim, index), x[:, index] for dim 1: keeps one slice and drops the dim',
      ),
    dim: anyInt.describe('`dim` of torch.select: the dim dropped; negative counts from the end'),
    index: anyInt.describe(
      '`index` of torch.select: the slice kept along dim; negative counts from the end, so -1 is the last time step',
    ),
  }),
  arity: [1, 1],
  decode: (a, [x]) => pointwiseOver([a.dim], x.shape.length, 'selects'),
  infer(a, [x]) {
    const d = axis(a.dim, x.shape.length);
    const size = x.shape[d];
    if (typeof size === 'number' && (a.index >= size || a.index < -size)) {
      fail(`${a.index} is out of range for dim ${a.dim} of size ${size}`, 'index');
    }
    return { out: { dtype: x.dtype, shape: x.shape.filter((_, i) => i !== d) } };
  },
  flops: () => 0,
  fuzz(d, x) {
    if (x.length < 3) return undefined;
    const dim = d.int(1, x.length - 1);
    const size = x[dim];
    return { attrs: { dim, index: d.int(-size, size - 1) } };
  },
  examples: [
    // the last time step: [b, t, 3] → [b, 3]
    { input: { shape: ['b', 't', 3] }, node: { dim: 1, index: -1 }, shape: ['b', 3] },
  ],
});
