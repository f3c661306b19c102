// torch.permute(x, dims): output dim i is input dim dims[i].
import { z } from 'zod';
import { anyInt, defineOp, fail, nodeBase, pointwiseOver } from './common.js';

export const permute = defineOp({
  op: 'permute',
  schema: z.strictObject({
    ...nodeBase,
    op: z.literal('permute').describe('torch.permute(x, dims): reorders the dims'),
    dims: z
      .array(anyInt)
      .min(1)
      .max(8)
      .describe(
        '`dims` of torch.permute: output dim i is input dim dims[i], each dim once; negative counts from the end',
      ),
  }),
  arity: [1, 1],
  decode: (a, [x]) =>
    pointwiseOver(
      a.dims.slice(0, 2).flatMap((d, i) => ((d < 0 ? d + x.shape.length : d) === i ? [] : [i])),
      x.shape.length,
      'moves the dim',
    ),
  infer(a, [x]) {
    const r = x.shape.length;
    if (a.dims.length !== r)
      fail(`has ${a.dims.length} entries but the input has rank ${r}`, 'dims');
    const norm = a.dims.map((d) => (d < 0 ? d + r : d));
    if (norm.some((d) => d < 0 || d >= r) || new Set(norm).size !== r) {
      fail(`[${a.dims.join(', ')}] is not a permutation of 0..${r - 1}`, 'dims');
    }
    return { out: { dtype: x.dtype, shape: norm.map((d) => x.shape[d]) } };
  },
  flops: () => 0,
  fuzz(d, x) {
    if (x.length < 3) return undefined;
    // A Fisher–Yates shuffle of the dims after the batch.
    const order = x.slice(1).map((_, i) => i + 1);
    for (let i = order.length - 1; i > 0; i--) {
      const j = d.int(0, i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return { attrs: { dims: [0, ...order] } };
  },
  examples: [{ input: { shape: ['b', 3, 't'] }, node: { dims: [0, 2, 1] }, shape: ['b', 't', 3] }],
});

export function permutation(dims: number[], rank: number): number[] {
  return dims.map((d) => (d < 0 ? d + rank : d));
}
