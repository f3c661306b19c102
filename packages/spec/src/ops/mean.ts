// torch.mean(x, dim, keepdim).
import { z } from 'zod';
import { anyInt, axis, defineOp, fail, float, nodeBase } from './common.js';

export function meanAxes(dim: number | number[], rank: number): number[] {
  const dims = typeof dim === 'number' ? [dim] : dim;
  const out = dims.map((d) => axis(d, rank));
  if (new Set(out).size !== out.length) fail(`[${dims.join(', ')}] names a dim twice`, 'dim');
  return out.sort((p, q) => p - q);
}

export const mean = defineOp({
  op: 'mean',
  schema: z.strictObject({
    ...nodeBase,
    op: z.literal('mean'),
    dim: z.union([anyInt, z.array(anyInt).min(1).max(8)]),
    keepdim: z.boolean().default(false),
  }),
  arity: [1, 1],
  infer(a, [x]) {
    const axes = meanAxes(a.dim, x.shape.length);
    const shape = a.keepdim
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    return { out: float(shape) };
  },
});
