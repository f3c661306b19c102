// nn.BatchNorm1d/2d in eval mode: (x - running_mean) / sqrt(running_var + eps) · weight + bias,
// per channel (dim 1) of [N, C], [N, C, L] or [N, C, H, W].
import { z } from 'zod';
import {
  count,
  defineOp,
  epsilon,
  float,
  nodeBase,
  ones,
  positiveInt,
  probability,
  requireDim,
  requireRank,
  type WeightDecl,
  weightPrefix,
  zeros,
} from './common.js';

export const batchNorm = defineOp({
  op: 'batchNorm',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z
      .literal('batchNorm')
      .describe(
        'nn.BatchNorm1d/2d in eval mode: (x − running_mean) / √(running_var + eps) · weight + bias per channel (dim 1)',
      ),
    numFeatures: positiveInt.describe(
      '`num_features` of nn.BatchNorm: the channel count, dim 1 of [N, C, ...]',
    ),
    eps: epsilon
      .default(1e-5)
      .describe('`eps` of nn.BatchNorm: added to the running variance before the square root'),
    momentum: probability
      .default(0.1)
      .describe(
        '`momentum` of nn.BatchNorm: how fast training updates the running statistics; accepted and unused at inference',
      ),
    affine: z
      .boolean()
      .default(true)
      .describe(
        '`affine` of nn.BatchNorm: a learned weight and bias per channel; the running statistics are always loaded',
      ),
  }),
  arity: [1, 1],
  infer(a, [x]) {
    requireRank(x, [2, 3, 4], 'input [N, C, ...]');
    requireDim(x.shape[1], a.numFeatures, 'numFeatures', 'channel count');
    return { out: float([...x.shape]) };
  },
  weights(a) {
    const c = [a.numFeatures];
    const w: WeightDecl[] = [];
    if (a.affine)
      w.push({ name: 'weight', shape: c, init: ones }, { name: 'bias', shape: c, init: zeros });
    // Buffers: loaded and saved with the weights, never changed by a gradient step.
    w.push(
      { name: 'running_mean', shape: c, init: zeros, buffer: true },
      { name: 'running_var', shape: c, init: ones, buffer: true },
    );
    return w;
  },
  // PyTorch saves the step count; eval mode never reads it.
  ignoredWeights: () => ['num_batches_tracked'],
  // centre, divide by the stored deviation, scale, shift
  flops: (_a, { out }) => 4 * count(out),
  fuzz: (_d, x) => (x.length >= 2 && x.length <= 4 ? { attrs: { numFeatures: x[1] } } : undefined),
  examples: [
    {
      input: { shape: ['b', 3, 5, 5] },
      node: { numFeatures: 3 },
      shape: ['b', 3, 5, 5],
      weights: { 'n.weight': [3], 'n.bias': [3], 'n.running_mean': [3], 'n.running_var': [3] },
    },
  ],
});
