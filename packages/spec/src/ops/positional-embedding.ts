// x + P[:T] over [batch, time, embeddingDim]. Learned: P is a weight. Sinusoidal (Vaswani et al.):
// P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(t / 10000^(2i/d)), interleaved.
import { z } from 'zod';
import {
  count,
  defineOp,
  fail,
  float,
  nodeBase,
  positiveInt,
  requireDim,
  requireRank,
  weightPrefix,
} from './common.js';

export const positionalEmbedding = defineOp({
  op: 'positionalEmbedding',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z.literal('positionalEmbedding'),
    kind: z.enum(['learned', 'sinusoidal']).default('learned'),
    maxLength: positiveInt,
    embeddingDim: positiveInt,
  }),
  arity: [1, 1],
  infer(a, [x]) {
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
  ],
});
