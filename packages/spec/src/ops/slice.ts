// x[..., start:end, ...] along `dim` (torch.narrow(x, dim, start, end − start)): Python's slice
// bounds, negative counting from the end; the sliced dim must be known. A primitive of the
// attention family (q, k and v out of one packed projection).
import { z } from 'zod';
import { anyInt, axis, defineOp, fail, nodeBase, pointwiseOver } from './common.js';

export const slice = defineOp({
  op: 'slice',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('slice')
      .describe('x[..., start:end, ...] along `dim` (torch.narrow): Python slice bounds, step 1'),
    dim: anyInt.describe('the dim sliced, whose size must be known; negative counts from the end'),
    start: anyInt
      .default(0)
      .describe('the first index kept, as in a Python slice: negative counts from the end'),
    end: anyInt.describe(
      'the index after the last kept (exclusive), as in a Python slice: negative counts from the end, beyond the size clamps to it',
    ),
  }),
  arity: [1, 1],
  decode: (a, [x]) => pointwiseOver([a.dim], x.shape.length, 'slices'),
  infer(a, [x]) {
    const d = axis(a.dim, x.shape.length);
    const size = x.shape[d];
    if (typeof size !== 'number') fail(`slices dim ${a.dim}, which is symbolic (${size})`, 'dim');
    const [start, end] = sliceBounds(a, size);
    if (end <= start) fail(`${a.start}:${a.end} is empty for a dim of size ${size}`, 'end');
    const shape = [...x.shape];
    shape[d] = end - start;
    return { out: { dtype: x.dtype, shape } };
  },
  flops: () => 0,
  fuzz(d, x) {
    if (x.length < 2) return undefined;
    const dim = d.int(1, x.length - 1);
    const size = x[dim];
    const start = d.int(0, size - 1);
    const end = d.int(start + 1, size);
    return { attrs: { dim, start: d.bool() ? start : start - size, end } };
  },
  examples: [
    // [2, 5, 6][..., 2:4] → [2, 5, 2]; [b, 6][:, -4:6] → [b, 4]
    { input: { shape: [2, 5, 6] }, node: { dim: -1, start: 2, end: 4 }, shape: [2, 5, 2] },
    { input: { shape: ['b', 6] }, node: { dim: 1, start: -4, end: 6 }, shape: ['b', 4] },
  ],
});

/** The slice's [start, end) on a dim of `size`, clamped as Python clamps. */
export function sliceBounds(a: { start: number; end: number }, size: number): [number, number] {
  const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  return [clamp(a.start), clamp(a.end)];
}
