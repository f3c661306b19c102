// torch.mean(x, dim, keepdim). With `lengths`, the mean over the time dim (dim 1) of the valid
// steps only: Σ_{t < length} x[b, t] / length (what a masked pooling over padded sequences is).
import { z } from 'zod';
import {
  anyInt,
  axis,
  count,
  defineOp,
  fail,
  float,
  lengthsRef,
  nodeBase,
  pointwiseOver,
} from './common.js';

/** The dims a mean averages, made non-negative for `rank` and sorted; a dim named twice is an error. */
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
    op: z
      .literal('mean')
      .describe('torch.mean(x, dim, keepdim): the average over one or more dims'),
    dim: z
      .union([anyInt, z.array(anyInt).min(1).max(8)])
      .describe(
        '`dim` of torch.mean: the dim (or list of dims) averaged away; negative counts from the end',
      ),
    keepdim: z
      .boolean()
      .default(false)
      .describe(
        '`keepdim` of torch.mean: keeps the averaged dims as size 1 instead of dropping them',
      ),
    lengths: lengthsRef.describe(
      "the name of an int32 [batch] model input holding each sequence's true length: the mean over the time dim (dim must be 1) counts only the steps t < length, a masked mean pooling over a padded batch",
    ),
  }),
  arity: [1, 1],
  lengthsOf: () => ({ lengths: 0 }),
  decode: (a, [x]) =>
    pointwiseOver(typeof a.dim === 'number' ? [a.dim] : a.dim, x.shape.length, 'averages'),
  infer(a, [x]) {
    const axes = meanAxes(a.dim, x.shape.length);
    if (a.lengths !== undefined && (axes.length !== 1 || axes[0] !== 1))
      fail(
        `averages the valid steps of the time dim, so dim must be 1 (of [batch, time, ...]), got ${JSON.stringify(a.dim)}`,
        'lengths',
      );
    const shape = a.keepdim
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    return { out: float(shape) };
  },
  flops: (_a, { inputs: [x] }) => count(x), // one addition per element reduced
  fuzz(d, x) {
    // One or two dims after the batch; without keepdim, at least one dim must remain.
    const keepdim = d.bool();
    const candidates = x.slice(1).map((_, i) => i + 1);
    if (!keepdim && candidates.length < 2) return undefined;
    const dims = [d.pick(candidates)];
    const other = candidates.filter((c) => c !== dims[0]);
    if (other.length > (keepdim ? 0 : 1) && d.bool()) dims.push(d.pick(other));
    return { attrs: { dim: dims.length === 1 ? dims[0] : dims, keepdim } };
  },
  examples: [
    // [2, 3, 4] over dims 0 and 2 → [3]; over dim 1 keeping it → [2, 1, 4]
    { input: { shape: [2, 3, 4] }, node: { dim: [0, -1] }, shape: [3] },
    { input: { shape: [2, 3, 4] }, node: { dim: 1, keepdim: true }, shape: [2, 1, 4] },
    // over the valid steps of time: [2, 5, 4] → [2, 4]
    { input: { shape: [2, 5, 4] }, node: { dim: 1, lengths: 'len' }, shape: [2, 4] },
  ],
});
