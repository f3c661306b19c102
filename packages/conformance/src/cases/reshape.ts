import { defineCase, unaryCase } from './define.js';

export const reshapeCases = [
  unaryCase(
    'reshape/split-last',
    ['batch', 12],
    { id: 'r', op: 'reshape', shape: [-1, 3, 4] },
    { bindings: { batch: 2 } },
  ),
  unaryCase('reshape/merge', [3, 4, 5], { id: 'r', op: 'reshape', shape: [12, 5] }),
  defineCase('reshape/heads-then-linear', {
    description: 'reshape [B, T, 6] to [B, T, 2, 3], mix with a linear, back',
    inputs: { x: { shape: [2, 'time', 6] } },
    nodes: [
      { id: 'r', op: 'reshape', shape: [2, -1, 2, 3] },
      { id: 'fc', op: 'linear', inFeatures: 3, outFeatures: 3 },
      { id: 'back', op: 'reshape', shape: [2, -1, 6] },
    ],
    bindings: { time: 4 },
  }),
  unaryCase(
    'reshape/to-vector',
    ['batch', 3, 5],
    { id: 'r', op: 'reshape', shape: [-1] },
    { description: 'rank 1', bindings: { batch: 2 } },
  ),
];
