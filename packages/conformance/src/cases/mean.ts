import { seq, seqBindings, unaryCase } from './define.js';

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
];
