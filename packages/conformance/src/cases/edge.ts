// Edge values: large logits, long recurrences, odd (prime) sizes, length-1 sequences.
import { tensor } from '@tessera/spec';
import type { ConformanceCase } from '../case.js';
import { defineCase, seq, seqBindings, unaryCase } from './define.js';
import { recurrentCase } from './recurrent.js';

const long = (cell: 'rnn' | 'lstm' | 'gru') => {
  const c = recurrentCase(cell, { name: 'long', inputSize: 3, hiddenSize: 5, time: 256, batch: 1 });
  return {
    ...c,
    id: `edge/${cell}-256-steps`,
    description: '256 steps: float32 error accumulates through the recurrence',
  };
};

export const edgeCases: ConformanceCase[] = [
  unaryCase(
    'edge/softmax-magnitude-80',
    seq(13),
    { id: 'sm', op: 'softmax', dim: -1 },
    {
      description: 'logits in [-80, 80): needs the max subtracted before exp in float32',
      bindings: seqBindings(3),
      inputScale: 80,
    },
  ),
  unaryCase(
    'edge/logSoftmax-magnitude-80',
    seq(13),
    { id: 'lsm', op: 'logSoftmax', dim: -1 },
    {
      description: 'logits in [-80, 80)',
      bindings: seqBindings(3),
      inputScale: 80,
    },
  ),
  unaryCase(
    'edge/softmax-magnitude-120',
    seq(7),
    { id: 'sm', op: 'softmax', dim: -1 },
    {
      description: 'e^120 overflows float32: only a max-subtracted softmax survives',
      bindings: seqBindings(3),
      inputScale: 120,
    },
  ),
  unaryCase(
    'edge/logSoftmax-magnitude-120',
    seq(7),
    { id: 'lsm', op: 'logSoftmax', dim: -1 },
    {
      description: 'e^120 overflows float32',
      bindings: seqBindings(3),
      inputScale: 120,
    },
  ),
  unaryCase(
    'edge/sigmoid-saturated',
    seq(7),
    { id: 'act', op: 'sigmoid' },
    { description: 'inputs in [-40, 40)', bindings: seqBindings(), inputScale: 40 },
  ),
  unaryCase(
    'edge/gelu-tails',
    seq(7),
    { id: 'act', op: 'gelu' },
    { description: 'erf far out in both tails', bindings: seqBindings(), inputScale: 12 },
  ),
  long('rnn'),
  long('lstm'),
  long('gru'),
  defineCase('edge/prime-widths', {
    description:
      'widths 7 → 13 → 11 with a layer norm on 13: no size divides evenly into vector lanes',
    inputs: { x: { shape: seq(7) } },
    nodes: [
      { id: 'fc1', op: 'linear', inFeatures: 7, outFeatures: 13 },
      { id: 'ln', op: 'layerNorm', normalizedShape: [13] },
      { id: 'act', op: 'silu' },
      { id: 'fc2', op: 'linear', inFeatures: 13, outFeatures: 11 },
    ],
    bindings: seqBindings(3, 5),
  }),
  defineCase('edge/time1-stack', {
    description: 'a sequence of length 1 through attention, a recurrence and mean pooling',
    inputs: { x: { shape: seq(6) } },
    nodes: [
      { id: 'attn', op: 'multiHeadAttention', embedDim: 6, numHeads: 3, causal: true },
      { id: 'rec', op: 'gru', inputSize: 6, hiddenSize: 4, bidirectional: true },
      { id: 'pool', op: 'mean', dim: 1 },
    ],
    bindings: seqBindings(1, 2),
  }),
  defineCase('edge/batch1-conv', {
    description: 'batch 1, a length-1 output',
    inputs: { x: { shape: ['batch', 2, 5] } },
    nodes: [{ id: 'conv', op: 'conv1d', inChannels: 2, outChannels: 3, kernelSize: 5 }],
    bindings: { batch: 1 },
  }),
  defineCase('edge/multiple-outputs', {
    description: 'three outputs, one of them an intermediate node',
    inputs: { x: { shape: seq(5) } },
    nodes: [
      { id: 'fc', op: 'linear', inFeatures: 5, outFeatures: 4 },
      { id: 'act', op: 'relu' },
      { id: 'sm', op: 'softmax' },
    ],
    outputs: { hidden: 'fc', probs: 'sm', features: 'act' },
    bindings: seqBindings(),
  }),
  {
    ...defineCase('edge/special-values', {
      description:
        'each activation at 0, −0, tiny and subnormal values, ±3 and ±20 (explicit inputs)',
      inputs: { x: { shape: [1, 10] } },
      nodes: [
        { id: 'relu', op: 'relu', input: 'x' },
        { id: 'gelu', op: 'gelu', input: 'x' },
        { id: 'gelu_tanh', op: 'gelu', input: 'x', approximate: 'tanh' },
        { id: 'silu', op: 'silu', input: 'x' },
        { id: 'sigmoid', op: 'sigmoid', input: 'x' },
        { id: 'tanh', op: 'tanh', input: 'x' },
        { id: 'softmax', op: 'softmax', input: 'x' },
      ],
      outputs: {
        relu: 'relu',
        gelu: 'gelu',
        gelu_tanh: 'gelu_tanh',
        silu: 'silu',
        sigmoid: 'sigmoid',
        tanh: 'tanh',
        softmax: 'softmax',
      },
    }),
    // 1e-40 is a float32 subnormal; a backend that flushes it to zero is still within atol.
    inputs: () => ({
      x: tensor('float32', [1, 10], [0, -0, 1e-40, -1e-30, 1e-3, 3, -3, 20, -20, 0.5]),
    }),
  },
];
