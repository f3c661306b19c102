// torch.repeat_interleave(x, repeats, dim): each slice along `dim` repeated `repeats` times in a
// row, so output index j reads input index floor(j / repeats). On dim 1 of [batch, kvHeads, time,
// headDim] this is transformers' repeat_kv: query head h reads key/value head floor(h / repeats).
import { z } from 'zod';
import { dimMul } from '../dims.js';
import { anyInt, axis, defineOp, nodeBase, pointwiseOver, positiveInt } from './common.js';

export const repeatInterleave = defineOp({
  op: 'repeatInterleave',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('repeatInterleave')
      .describe(
        "torch.repeat_interleave(x, repeats, dim): each slice along dim repeated in place (transformers' repeat_kv)",
      ),
    repeats: positiveInt
      .max(4096)
      .describe(
        '`repeats` of torch.repeat_interleave: how many copies of each slice, side by side',
      ),
    dim: anyInt.describe(
      '`dim` of torch.repeat_interleave: the dim whose slices repeat; negative counts from the end',
    ),
  }),
  arity: [1, 1],
  decode: (a, [x]) => pointwiseOver([a.dim], x.shape.length, 'repeats'),
  infer(a, [x]) {
    const d = axis(a.dim, x.shape.length);
    const shape = [...x.shape];
    shape[d] = dimMul(shape[d], a.repeats);
    return { out: { dtype: x.dtype, shape } };
  },
  flops: () => 0, // a copy
  fuzz(d, x) {
    if (x.length < 2 || x.reduce((p, s) => p * s, 1) > 200) return undefined;
    return { attrs: { repeats: d.int(1, 3), dim: d.int(1, x.length - 1) } };
  },
  examples: [
    // [b, 2, 5, 4] with 3 repeats on dim 1 → [b, 6, 5, 4]
    { input: { shape: ['b', 2, 5, 4] }, node: { repeats: 3, dim: 1 }, shape: ['b', 6, 5, 4] },
  ],
});
