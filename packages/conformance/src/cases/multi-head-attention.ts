import { defineCase, seq, seqBindings, unaryCase } from './define.js';

export const multiHeadAttentionCases = [
  unaryCase(
    'multiHeadAttention/basic',
    seq(8),
    { id: 'attn', op: 'multiHeadAttention', embedDim: 8, numHeads: 2, dropout: 0.3 },
    { description: 'dropout 0.3, ignored at inference', bindings: seqBindings(5) },
  ),
  unaryCase(
    'multiHeadAttention/causal',
    seq(8),
    { id: 'attn', op: 'multiHeadAttention', embedDim: 8, numHeads: 2, causal: true },
    { bindings: seqBindings(6) },
  ),
  unaryCase(
    'multiHeadAttention/one-head',
    seq(6),
    { id: 'attn', op: 'multiHeadAttention', embedDim: 6, numHeads: 1 },
    { bindings: seqBindings(4) },
  ),
  unaryCase(
    'multiHeadAttention/odd-head-dim',
    seq(15),
    { id: 'attn', op: 'multiHeadAttention', embedDim: 15, numHeads: 5, causal: true },
    { description: 'head size 3', bindings: seqBindings(7) },
  ),
  unaryCase(
    'multiHeadAttention/no-bias',
    seq(8),
    { id: 'attn', op: 'multiHeadAttention', embedDim: 8, numHeads: 4, bias: false },
    { bindings: seqBindings(3) },
  ),
  unaryCase(
    'multiHeadAttention/time1',
    seq(4),
    { id: 'attn', op: 'multiHeadAttention', embedDim: 4, numHeads: 2, causal: true },
    { bindings: seqBindings(1, 3) },
  ),
  unaryCase(
    'multiHeadAttention/static-time-causal',
    ['batch', 5, 16],
    { id: 'attn', op: 'multiHeadAttention', embedDim: 16, numHeads: 4, causal: true },
    {
      description: 'the time fixed in the spec: a mask known at compile time',
      bindings: { batch: 2 },
    },
  ),
  unaryCase(
    'multiHeadAttention/weight-prefix',
    seq(8),
    {
      id: 'attn',
      op: 'multiHeadAttention',
      embedDim: 8,
      numHeads: 2,
      causal: true,
      weightPrefix: 'model.layers.3.self_attn',
    },
    {
      description: 'weights under model.layers.3.self_attn (weightPrefix), not the id',
      bindings: seqBindings(5),
    },
  ),
  // Cross-attention, mha(query, memory, memory): 5 queries over 7 memory positions.
  ...[true, false].map((bias) =>
    defineCase(`multiHeadAttention/cross${bias ? '' : '-no-bias'}`, {
      description: 'two inputs [query, memory] of different lengths (cross-attention)',
      inputs: {
        query: { shape: ['batch', 'time', 8] },
        memory: { shape: ['batch', 'memTime', 8] },
      },
      nodes: [
        {
          id: 'attn',
          op: 'multiHeadAttention',
          input: ['query', 'memory'],
          embedDim: 8,
          numHeads: 2,
          bias,
        },
      ],
      bindings: { batch: 2, time: 5, memTime: 7 },
    }),
  ),
];
