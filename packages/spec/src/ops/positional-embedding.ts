// x + P[:T] over [batch, time, embeddingDim]. Learned: P is a weight. Sinusoidal (Vaswani et al.):
// P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(t / 10000^(2i/d)), interleaved.
// An optional second input, int32 [1], is the position of time index 0 (a decoder's step): the
// node then adds P[offset : offset + T]; offset + T past maxLength is an error at run time.
import { z } from 'zod';
import {
  count,
  defineOp,
  fail,
  float,
  nodeBase,
  positiveInt,
  requireDim,
  requirePosition,
  requireRank,
  weightPrefix,
} from './common.js';

export const positionalEmbedding = defineOp({
  op: 'positionalEmbedding',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z
      .literal('positionalEmbedding')
      .describe(
        "adds each position's embedding to [batch, time, embeddingDim]: x + P[:time]; an optional int32 [1] second input is the position of time 0 (a decoder's step)",
      ),
    kind: z
      .enum(['learned', 'sinusoidal'])
      .default('learned')
      .describe(
        "'learned': P is a weight [maxLength, embeddingDim], as an nn.Embedding of positions; 'sinusoidal': the fixed sin/cos table of Attention Is All You Need, no weight",
      ),
    maxLength: positiveInt.describe(
      'the positions the table holds (max_position_embeddings): the time steps, from the start position when one is given, must fit in it',
    ),
    embeddingDim: positiveInt.describe(
      "the width of each position's embedding: the input's last dim",
    ),
  }),
  arity: [1, 2],
  inputDtype: ['float32', 'int32'],
  infer(a, [x, offset]) {
    requirePosition(offset, 'first');
    requireRank(x, [3], 'input [batch, time, embeddingDim]');
    requireDim(x.shape[2], a.embeddingDim, 'embeddingDim', 'width');
    const t = x.shape[1];
    if (typeof t === 'number' && t > a.maxLength) {
      fail(`is ${a.maxLength} but the sequence has ${t} steps`, 'maxLength');
    }
    return { out: float([...x.shape]) };
  },
  weights(a) {
    return a.kind === 'learned'
      ? [{ name: 'weight', shape: [a.maxLength, a.embeddingDim], init: { kind: 'normal', std: 1 } }]
      : [];
  },
  flops: (_a, { out }) => count(out), // the addition
  decode: () => ({ position: true }),
  fuzz(d, x) {
    if (x.length !== 3) return undefined;
    const [, t, e] = x;
    return {
      attrs: {
        kind: d.pick(['learned', 'sinusoidal'] as const),
        maxLength: t + d.int(0, 4),
        embeddingDim: e,
      },
    };
  },
  examples: [
    {
      input: { shape: ['b', 't', 4] },
      node: { maxLength: 9, embeddingDim: 4 },
      shape: ['b', 't', 4],
      weights: { 'n.weight': [9, 4] },
    },
    {
      input: { shape: ['b', 't', 4] },
      node: { kind: 'sinusoidal', maxLength: 9, embeddingDim: 4 },
      shape: ['b', 't', 4],
      weights: {},
    },
    {
      input: { shape: [2, 1, 4] },
      extraInputs: [{ dtype: 'int32', shape: [1] }],
      node: { maxLength: 9, embeddingDim: 4 },
      shape: [2, 1, 4],
      weights: { 'n.weight': [9, 4] },
    },
  ],
});
