// torch.flatten(x, startDim, endDim): merges dims startDim..endDim into one.
import { z } from 'zod';
import { dimMul } from '../dims.js';
import { anyInt, axis, defineOp, fail, nodeBase, pointwiseOver } from './common.js';

export const flatten = defineOp({
  op: 'flatten',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('flatten')
      .describe('torch.flatten / nn.Flatten: merges the dims startDim..endDim into one'),
    startDim: anyInt
      .default(1)
      .describe(
        "`start_dim` of nn.Flatten: the first dim merged; 1 keeps the batch, as nn.Flatten's default",
      ),
    endDim: anyInt
      .default(-1)
      .describe('`end_dim` of nn.Flatten: the last dim merged (included); -1 is the last dim'),
  }),
  arity: [1, 1],
  decode: (a, [x]) => pointwiseOver([a.startDim, a.endDim], x.shape.length, 'flattens'),
  infer(a, [x]) {
    const r = x.shape.length;
    const s = axis(a.startDim, r, 'startDim');
    const e = axis(a.endDim, r, 'endDim');
    if (s > e) fail(`startDim ${a.startDim} comes after endDim ${a.endDim}`, 'startDim');
    const merged = x.shape.slice(s, e + 1).reduce<number | string>((p, d) => dimMul(p, d), 1);
    return {
      out: { dtype: x.dtype, shape: [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)] },
    };
  },
  flops: () => 0,
  fuzz(d, x) {
    // Merge two or more dims after the batch.
    const rank = x.length;
    if (rank < 3) return undefined;
    const start = d.int(1, rank - 2);
    const end = d.int(start + 1, rank - 1);
    return { attrs: { startDim: start, endDim: d.bool() ? end : end - rank } };
  },
  examples: [{ input: { shape: ['b', 3, 4, 5] }, node: {}, shape: ['b', 60] }],
});
