// nn.MultiheadAttention(batch_first=True) as self-attention on one input [B, T, E]:
// [Q K V] = x W_inᵀ + b_in, per head softmax(Q Kᵀ / √d_k + mask) V, then the output projection.
// `causal` masks key positions after the query position (PyTorch's upper-triangular -inf mask).
import { z } from 'zod';
import {
  defineOp,
  fail,
  float,
  nodeBase,
  positiveInt,
  probability,
  requireDim,
  requireRank,
  uniform,
  zeros,
  type WeightDecl,
} from './common.js';

export interface AttentionAttrs {
  embedDim: number;
  numHeads: number;
  bias: boolean;
}

export function attentionWeights(a: AttentionAttrs, prefix = ''): WeightDecl[] {
  const e = a.embedDim;
  // in_proj_weight: xavier_uniform on [3E, E]: bound √(6 / (fan_in + fan_out)) = √(6 / 4E).
  const w: WeightDecl[] = [
    { name: `${prefix}in_proj_weight`, shape: [3 * e, e], init: uniform(Math.sqrt(6 / (4 * e))) },
  ];
  if (a.bias) w.push({ name: `${prefix}in_proj_bias`, shape: [3 * e], init: zeros });
  w.push({ name: `${prefix}out_proj.weight`, shape: [e, e], init: uniform(1 / Math.sqrt(e)) });
  if (a.bias) w.push({ name: `${prefix}out_proj.bias`, shape: [e], init: zeros });
  return w;
}

export function checkHeads(embedDim: number, numHeads: number, attr: string): void {
  if (embedDim % numHeads !== 0)
    fail(`${numHeads} does not divide the embedding size ${embedDim}`, attr);
}

export const multiHeadAttention = defineOp({
  op: 'multiHeadAttention',
  schema: z.strictObject({
    ...nodeBase,
    op: z.literal('multiHeadAttention'),
    embedDim: positiveInt,
    numHeads: positiveInt,
    bias: z.boolean().default(true),
    dropout: probability.default(0),
    causal: z.boolean().default(false),
  }),
  arity: [1, 1],
  infer(a, [x]) {
    checkHeads(a.embedDim, a.numHeads, 'numHeads');
    requireRank(x, [3], 'input [batch, time, embedDim]');
    requireDim(x.shape[2], a.embedDim, 'embedDim', 'width');
    return { out: float([...x.shape]) };
  },
  weights: (a) => attentionWeights(a),
});
