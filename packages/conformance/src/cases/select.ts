import { seq, seqBindings, unaryCase } from './define.js';

export const selectCases = [
  unaryCase(
    'select/last-step',
    seq(7),
    { id: 's', op: 'select', dim: 1, index: -1 },
    { description: 'index -1: the last time step', bindings: seqBindings() },
  ),
  unaryCase(
    'select/first-step',
    seq(7),
    { id: 's', op: 'select', dim: 1, index: 0 },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'select/last-dim',
    seq(7),
    { id: 's', op: 'select', dim: -1, index: -3 },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'select/rank4',
    ['batch', 3, 4, 5],
    { id: 's', op: 'select', dim: 2, index: 2 },
    { bindings: { batch: 2 } },
  ),
  unaryCase(
    'select/batch-dim',
    seq(4),
    { id: 's', op: 'select', dim: 0, index: -2 },
    { description: 'along the batch dim, from the end', bindings: seqBindings(3, 3) },
  ),
];
