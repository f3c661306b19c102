import { defineCase, seq, seqBindings, unaryCase } from './define.js';

export const permuteCases = [
  unaryCase(
    'permute/swap-last',
    seq(7),
    { id: 'p', op: 'permute', dims: [0, 2, 1] },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'permute/rank4',
    ['batch', 2, 3, 5],
    { id: 'p', op: 'permute', dims: [0, 2, 3, 1] },
    { description: 'NCHW → NHWC', bindings: { batch: 2 } },
  ),
  defineCase('permute/negative-then-linear', {
    inputs: { x: { shape: ['batch', 3, 4, 5] } },
    nodes: [
      { id: 'p', op: 'permute', dims: [-1, 0, -2, 1] },
      { id: 'fc', op: 'linear', inFeatures: 3, outFeatures: 2 },
    ],
    bindings: { batch: 2 },
  }),
];
