import { defineCase, seq, seqBindings, unaryCase } from './define.js';

export const sliceCases = [
  unaryCase(
    'slice/features',
    seq(9),
    { id: 's', op: 'slice', dim: -1, start: 3, end: 6 },
    { description: 'the middle third (k of a packed q, k, v)', bindings: seqBindings() },
  ),
  unaryCase(
    'slice/negative-bounds',
    ['batch', 6, 4],
    { id: 's', op: 'slice', dim: 1, start: -4, end: -1 },
    { bindings: { batch: 2 } },
  ),
  unaryCase(
    'slice/clamped-end',
    ['batch', 3, 5],
    { id: 's', op: 'slice', dim: 2, start: 1, end: 100 },
    { description: 'an end past the size is clamped, as in Python', bindings: { batch: 2 } },
  ),
  defineCase('slice/then-linear', {
    inputs: { x: { shape: ['batch', 'time', 8] } },
    nodes: [
      { id: 's', op: 'slice', dim: 2, start: 0, end: 4 },
      { id: 'fc', op: 'linear', inFeatures: 4, outFeatures: 3 },
    ],
    bindings: seqBindings(3),
  }),
];
