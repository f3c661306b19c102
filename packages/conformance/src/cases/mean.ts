import { at, defineCase, inf, nan, seq, seqBindings, unaryCase } from './define.js';

export const meanCases = [
  unaryCase(
    'mean/time',
    seq(7),
    { id: 'm', op: 'mean', dim: 1 },
    { description: 'mean pooling over time', bindings: seqBindings() },
  ),
  unaryCase(
    'mean/keepdim',
    seq(7),
    { id: 'm', op: 'mean', dim: -1, keepdim: true },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'mean/list-dims',
    ['batch', 3, 4, 5],
    { id: 'm', op: 'mean', dim: [2, 3] },
    { bindings: { batch: 2 } },
  ),
  unaryCase(
    'mean/list-dims-keepdim',
    ['batch', 3, 4, 5],
    { id: 'm', op: 'mean', dim: [-1, 1], keepdim: true },
    { bindings: { batch: 2 } },
  ),
  defineCase('mean/non-finite', {
    description: 'NaN stays NaN, one infinity stays, +inf with −inf is NaN; over features and time',
    inputs: { x: { shape: seq(4) } },
    nodes: [
      { id: 'm', op: 'mean', input: 'x', dim: -1 },
      { id: 't', op: 'mean', input: 'x', dim: 1 },
    ],
    outputs: { features: 'm', time: 't' },
    bindings: seqBindings(3),
    special: { x: at([[0, 0, 1], nan], [[0, 1, 2], inf], [[1, 2, 0], inf], [[1, 2, 3], -inf]) },
  }),
];
