// nn.Linear: y = x Wᵀ + b over the last dimension. With `tiedTo: "<embedding id>"` W is that
// embedding's [numEmbeddings, embeddingDim] table (Hugging Face's tie_word_embeddings): the
// manifest lists no weight of its own, lowering points `weight` at the table (see graph.ts for
// the checks and lower.ts for the lowering).
import { z } from 'zod';
import {
  count,
  defineOp,
  fail,
  float,
  identifier,
  nodeBase,
  pointwise,
  positiveInt,
  requireDim,
  uniform,
  type WeightDecl,
  weightPrefix,
} from './common.js';

export const linear = defineOp({
  op: 'linear',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z.literal('linear').describe('nn.Linear: y = x·Wᵀ + b over the last dim'),
    inFeatures: positiveInt.describe(
      "`in_features` of nn.Linear: the size of the input's last dim",
    ),
    outFeatures: positiveInt.describe(
      "`out_features` of nn.Linear: the size of the output's last dim",
    ),
    bias: z
      .boolean()
      .default(true)
      .describe('`bias` of nn.Linear: adds a learned bias [outFeatures]'),
    tiedTo: identifier
      .optional()
      .describe(
        "the id of an embedding node whose [numEmbeddings, embeddingDim] table is this linear's weight (Hugging Face's tie_word_embeddings); the linear then has no weight of its own",
      ),
  }),
  arity: [1, 1],
  decode: pointwise,
  infer(a, [x]) {
    if (x.shape.length < 1)
      fail('needs an input of rank ≥ 1 (its last dim is inFeatures)', 'inFeatures');
    requireDim(x.shape[x.shape.length - 1], a.inFeatures, 'inFeatures', 'width');
    return { out: float([...x.shape.slice(0, -1), a.outFeatures]) };
  },
  weights(a) {
    // kaiming_uniform(a=√5) on [out, in] gives U(±1/√in); the bias uses the same bound.
    const bound = 1 / Math.sqrt(a.inFeatures);
    const w: WeightDecl[] =
      a.tiedTo === undefined
        ? [{ name: 'weight', shape: [a.outFeatures, a.inFeatures], init: uniform(bound) }]
        : [];
    if (a.bias) w.push({ name: 'bias', shape: [a.outFeatures], init: uniform(bound) });
    return w;
  },
  flops(a, { out }) {
    // inFeatures multiply-adds per output element, plus the bias.
    return 2 * count(out) * a.inFeatures + (a.bias ? count(out) : 0);
  },
  fuzz(d, x) {
    if (x.length < 2) return undefined;
    return { attrs: { inFeatures: x[x.length - 1], outFeatures: d.int(1, 9), bias: d.bool() } };
  },
  examples: [
    {
      input: { shape: ['b', 5] },
      node: { inFeatures: 5, outFeatures: 3 },
      shape: ['b', 3],
      weights: { 'n.weight': [3, 5], 'n.bias': [3] },
    },
    {
      input: { shape: [2, 4, 5] },
      node: { inFeatures: 5, outFeatures: 3, bias: false },
      shape: [2, 4, 3],
      weights: { 'n.weight': [3, 5] },
    },
    {
      input: { shape: ['b', 5] },
      node: { inFeatures: 5, outFeatures: 3, weightPrefix: 'model.0' },
      shape: ['b', 3],
      weights: { 'model.0.weight': [3, 5], 'model.0.bias': [3] },
    },
  ],
});
