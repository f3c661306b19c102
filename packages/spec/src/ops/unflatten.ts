// torch.unflatten(x, dim, sizes): splits the known dim `dim` into `sizes` (their product must be
// its size). The attention family splits features into heads with it.
import { z } from 'zod';
import {
  anyInt,
  axis,
  defineOp,
  divisors,
  fail,
  nodeBase,
  pointwiseOver,
  positiveInt,
} from './common.js';

export const unflatten = defineOp({
  op: 'unflatten',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('unflatten')
      .describe(
        'torch.unflatten(x, dim, sizes): splits one dim into several (features into heads)',
      ),
    dim: anyInt.describe(
      '`dim` of torch.unflatten: the dim split, whose size must be known; negative counts from the end',
    ),
    sizes: z
      .array(positiveInt)
      .min(1)
      .max(8)
      .describe(
        "`sizes` of torch.unflatten: the dims it becomes; their product is the split dim's size",
      ),
  }),
  arity: [1, 1],
  decode: (a, [x]) => pointwiseOver([a.dim], x.shape.length, 'splits'),
  infer(a, [x]) {
    const d = axis(a.dim, x.shape.length);
    const size = x.shape[d];
    const product = a.sizes.reduce((p, s) => p * s, 1);
    if (size !== product)
      fail(
        `[${a.sizes.join(', ')}] holds ${product} elements but dim ${a.dim} is ${size}`,
        'sizes',
      );
    return {
      out: { dtype: x.dtype, shape: [...x.shape.slice(0, d), ...a.sizes, ...x.shape.slice(d + 1)] },
    };
  },
  flops: () => 0,
  fuzz(d, x) {
    if (x.length < 2) return undefined;
    const dim = d.int(1, x.length - 1);
    const size = x[dim];
    const k = d.pick(divisors(size));
    return { attrs: { dim, sizes: [k, size / k] } };
  },
  examples: [
    // [b, 3, 12] with dim -1 split into [4, 3] → [b, 3, 4, 3]
    { input: { shape: ['b', 3, 12] }, node: { dim: -1, sizes: [4, 3] }, shape: ['b', 3, 4, 3] },
  ],
});
