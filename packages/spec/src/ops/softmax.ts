// softmax(x)_i = e^(x_i - max x) / Σ_j e^(x_j - max x) along `dim`.
import { z } from 'zod';
import {
  anyInt,
  axis,
  count,
  defineOp,
  float,
  nodeBase,
  type OpExample,
  pointwiseOver,
} from './common.js';

export function softmaxFamily<const Name extends 'softmax' | 'logSoftmax'>(
  name: Name,
  summary: string,
  examples: readonly OpExample[],
) {
  return defineOp({
    op: name,
    schema: z.strictObject({
      ...nodeBase,
      op: z.literal(name).describe(summary),
      dim: anyInt
        .default(-1)
        .describe(
          '`dim` of torch.softmax / log_softmax: the dim normalised along, each slice along it becoming a probability distribution; negative counts from the end, -1 (the default) is the last',
        ),
    }),
    arity: [1, 1],
    infer(a, [x]) {
      axis(a.dim, x.shape.length);
      return { out: float([...x.shape]) };
    },
    // max, subtract and exp, sum, divide (logSoftmax: log and subtract instead of the divide)
    flops: (_a, { out }) => 4 * count(out),
    decode: (a, [x]) => pointwiseOver([a.dim], x.shape.length, 'normalises'),
    fuzz(d, x) {
      if (x.length < 2) return undefined;
      // Any dim but the batch, written positive or negative.
      const dim = d.int(1, x.length - 1);
      return { attrs: { dim: d.bool() ? dim : dim - x.length } };
    },
    examples,
  });
}

export const softmax = softmaxFamily('softmax', 'nn.Softmax: e^xᵢ / Σⱼ e^xⱼ along `dim`', [
  { input: { shape: [2, 3] }, node: { dim: 0 }, shape: [2, 3] },
]);
