// nn.BatchNorm1d/2d in eval mode: (x - running_mean) / sqrt(running_var + eps) · weight + bias,
// per channel (dim 1) of [N, C], [N, C, L] or [N, C, H, W].
import { z } from 'zod';
import {
  defineOp,
  epsilon,
  float,
  nodeBase,
  ones,
  positiveInt,
  probability,
  requireDim,
  requireRank,
  zeros,
  type WeightDecl,
} from './common.js';

export const batchNorm = defineOp({
  op: 'batchNorm',
  schema: z.strictObject({
    ...nodeBase,
    op: z.literal('batchNorm'),
    numFeatures: positiveInt,
    eps: epsilon.default(1e-5),
    momentum: probability.default(0.1),
    affine: z.boolean().default(true),
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
    w.push(
      { name: 'running_mean', shape: c, init: zeros },
      { name: 'running_var', shape: c, init: ones },
    );
    return w;
  },
});
