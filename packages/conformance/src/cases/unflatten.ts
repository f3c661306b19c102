import { defineCase, seq, seqBindings, unaryCase } from './define.js';

export const unflattenCases = [
  unaryCase(
    'unflatten/heads',
    seq(12),
    { id: 'u', op: 'unflatten', dim: -1, sizes: [3, 4] },
    { description: 'features into 3 heads of 4', bindings: seqBindings() },
  ),
  defineCase('unflatten/then-permute', {
    description: 'split heads then move them before time, as attention does',
    inputs: { x: { shape: ['batch', 'time', 6] } },
    nodes: [
      { id: 'u', op: 'unflatten', dim: 2, sizes: [2, 3] },
      { id: 'p', op: 'permute', dims: [0, 2, 1, 3] },
    ],
    bindings: seqBindings(4),
  }),
  defineCase('unflatten/symbolic-dims-around', {
    description: 'symbolic dims before, inside and after what is split or merged',
    inputs: { x: { shape: ['batch', 6, 'h', 'w'] } },
    nodes: [
      // [batch, 2, 3, h, w]: two symbolic dims after the split one.
      { id: 'two_tails', op: 'unflatten', input: 'x', dim: 1, sizes: [2, 3] },
      // [batch, 6, h·w] → [batch, 3, 2, h·w]: one symbolic dim after.
      { id: 'hw', op: 'flatten', input: 'x', startDim: 2 },
      { id: 'one_tail', op: 'unflatten', input: 'hw', dim: 1, sizes: [3, 2] },
      // [batch·6, h, w]: a symbolic merged dim and two symbolic dims after it.
      { id: 'merged_tail', op: 'flatten', input: 'x', startDim: 0, endDim: 1 },
      // [batch, 6·h·w]
      { id: 'merged', op: 'flatten', input: 'x' },
    ],
    outputs: { a: 'one_tail', b: 'two_tails', c: 'merged', d: 'merged_tail' },
    bindings: { batch: 2, h: 3, w: 4 },
  }),
];
