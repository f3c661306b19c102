import { at, defineCase, inf, nan } from './define.js';

export const matmulCases = [
  defineCase('matmul/batched', {
    description: '[b, 3, 4] · [b, 4, 5]',
    inputs: { a: { shape: ['batch', 3, 4] }, b: { shape: ['batch', 4, 5] } },
    nodes: [{ id: 'm', op: 'matmul', input: ['a', 'b'] }],
    bindings: { batch: 2 },
  }),
  defineCase('matmul/broadcast', {
    description: 'batch dims broadcast: [b, 1, 3, 4] · [2, 4, 6] → [b, 2, 3, 6]',
    inputs: { a: { shape: ['batch', 1, 3, 4] }, b: { shape: [2, 4, 6] } },
    nodes: [{ id: 'm', op: 'matmul', input: ['a', 'b'] }],
    bindings: { batch: 3 },
  }),
  defineCase('matmul/rank2-shared', {
    description: 'a [b, t, 7] times a fixed [7, 3] operand (a bias-free linear)',
    inputs: { a: { shape: ['batch', 'time', 7] }, w: { shape: [7, 3] } },
    nodes: [{ id: 'm', op: 'matmul', input: ['a', 'w'] }],
    bindings: { batch: 2, time: 4 },
  }),
  defineCase('matmul/symbolic-inner', {
    description: 'attention weights times values: [b, 2, t, t] · [b, 2, t, 3], inner dim symbolic',
    inputs: { p: { shape: ['batch', 2, 'time', 'time'] }, v: { shape: ['batch', 2, 'time', 3] } },
    nodes: [{ id: 'm', op: 'matmul', input: ['p', 'v'] }],
    bindings: { batch: 2, time: 5 },
  }),
  defineCase('matmul/non-finite', {
    description: 'NaN and ±inf in both operands: IEEE sums of products (inf·x, inf − inf)',
    inputs: { a: { shape: ['batch', 3, 4] }, b: { shape: ['batch', 4, 5] } },
    nodes: [{ id: 'm', op: 'matmul', input: ['a', 'b'] }],
    bindings: { batch: 2 },
    special: {
      a: at([[0, 0, 1], nan], [[0, 2, 3], inf], [[1, 1, 0], inf], [[1, 1, 2], -inf]),
      b: at([[0, 3, 4], -inf], [[1, 2, 1], inf]),
    },
  }),
];
