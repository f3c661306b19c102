import { at, defineCase, inf, nan, seq, seqBindings, unaryCase } from './define.js';

export const linearCases = [
  unaryCase(
    'linear/basic',
    seq(7),
    { id: 'fc', op: 'linear', inFeatures: 7, outFeatures: 13 },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'linear/no-bias',
    seq(7),
    { id: 'fc', op: 'linear', inFeatures: 7, outFeatures: 5, bias: false },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'linear/rank2',
    ['batch', 13],
    { id: 'fc', op: 'linear', inFeatures: 13, outFeatures: 3 },
    { bindings: { batch: 3 } },
  ),
  defineCase('linear/rank4', {
    description: 'a linear over the last dim of [N, C, H, W]',
    inputs: { x: { shape: ['batch', 2, 3, 7] } },
    nodes: [{ id: 'fc', op: 'linear', inFeatures: 7, outFeatures: 4 }],
    bindings: { batch: 2 },
  }),
  unaryCase(
    'linear/rank1',
    [7],
    { id: 'fc', op: 'linear', inFeatures: 7, outFeatures: 3 },
    { description: 'a single vector, no batch dim' },
  ),
  defineCase('linear/weight-prefix', {
    description:
      "an nn.Sequential's state_dict names: weights under 0. and 2. (weightPrefix), not the ids",
    inputs: { x: { shape: seq(6) } },
    nodes: [
      { id: 'fc0', op: 'linear', inFeatures: 6, outFeatures: 5, weightPrefix: '0' },
      { id: 'act', op: 'relu' },
      { id: 'fc2', op: 'linear', inFeatures: 5, outFeatures: 4, weightPrefix: 'model.layers.2' },
    ],
    bindings: seqBindings(),
  }),
  defineCase('linear/tied-head', {
    description:
      "a tied LM head (tiedTo): the logits read the embedding's table model.embed_tokens.weight, stored once",
    inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
    nodes: [
      {
        id: 'embed',
        op: 'embedding',
        numEmbeddings: 11,
        embeddingDim: 6,
        weightPrefix: 'model.embed_tokens',
      },
      { id: 'mix', op: 'linear', inFeatures: 6, outFeatures: 6 },
      { id: 'act', op: 'tanh' },
      {
        id: 'head',
        op: 'linear',
        inFeatures: 6,
        outFeatures: 11,
        bias: false,
        tiedTo: 'embed',
        weightPrefix: 'lm_head',
      },
    ],
    bindings: { batch: 2, time: 4 },
  }),
  defineCase('linear/tied-head-rank2', {
    description: 'a tied head with its own bias on [batch, embeddingDim] (one token per row)',
    inputs: { tokens: { dtype: 'int32', shape: ['batch'] } },
    nodes: [
      { id: 'embed', op: 'embedding', numEmbeddings: 9, embeddingDim: 5 },
      { id: 'head', op: 'linear', inFeatures: 5, outFeatures: 9, tiedTo: 'embed' },
    ],
    bindings: { batch: 3 },
  }),
  // IEEE sums: a NaN makes its row's outputs NaN; one infinity gives ±inf by each weight's
  // sign; +inf and −inf in one row give NaN where the two products have opposite signs.
  defineCase('linear/non-finite', {
    description: 'NaN, +inf, −inf, and +inf with −inf in a row',
    inputs: { x: { shape: seq(5) } },
    nodes: [{ id: 'fc', op: 'linear', inFeatures: 5, outFeatures: 4 }],
    bindings: seqBindings(3),
    special: {
      x: at(
        [[0, 0, 1], nan],
        [[0, 2, 3], inf],
        [[1, 1, 0], inf],
        [[1, 1, 4], -inf],
        [[1, 2, 2], -inf],
      ),
    },
  }),
];
