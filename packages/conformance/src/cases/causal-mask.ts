import { defineCase } from './define.js';

// A mask alone would output −∞, which no tolerance compares; each case reads it through a
// softmax, as attention does.
export const causalMaskCases = [
  defineCase('causalMask/square', {
    description: 'tq = tk: PyTorch’s triu(diagonal=1) mask, then softmax',
    inputs: { s: { shape: ['batch', 2, 'time', 'time'] } },
    nodes: [
      { id: 'm', op: 'causalMask' },
      { id: 'p', op: 'softmax', dim: -1 },
    ],
    bindings: { batch: 2, time: 5 },
  }),
  defineCase('causalMask/offset', {
    description: '3 queries at the last of 6 key positions (a decoder step against a cache)',
    inputs: { s: { shape: ['batch', 3, 6] } },
    nodes: [
      { id: 'm', op: 'causalMask' },
      { id: 'p', op: 'softmax', dim: -1 },
    ],
    bindings: { batch: 2 },
  }),
  defineCase('causalMask/one-query', {
    description: 'one query at the last position sees every key',
    inputs: { s: { shape: ['batch', 1, 4] } },
    nodes: [
      { id: 'm', op: 'causalMask' },
      { id: 'p', op: 'softmax', dim: -1 },
    ],
    bindings: { batch: 3 },
  }),
  ...(
    [
      ['offset-symbolic', ['batch', 'q', 'k']],
      ['offset-symbolic-keys', ['batch', 3, 'k']],
      ['offset-symbolic-queries', ['batch', 'q', 6]],
    ] as const
  ).map(([name, shape]) =>
    defineCase(`causalMask/${name}`, {
      description: '3 queries, 6 keys, the offset tk − tq known only at run time',
      inputs: { s: { shape: [...shape] } },
      nodes: [
        { id: 'm', op: 'causalMask' },
        { id: 'p', op: 'softmax', dim: -1 },
      ],
      bindings: { batch: 2, q: 3, k: 6 },
    }),
  ),
];
