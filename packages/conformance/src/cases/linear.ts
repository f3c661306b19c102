import { defineCase, seq, seqBindings, unaryCase } from './define.js';

export const linearCases = [
  unaryCase(
    'linear/basic',
    seq(7),
    { id: 'fc', op: 'linear', inFeatures: 7, outFeatures: 13 },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'linear/no-bias',
    seq(7),
    { id: 'fc', op: 'linear', inFeatures: 7, outFeatures: 5, bias: false },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'linear/rank2',
    ['batch', 13],
    { id: 'fc', op: 'linear', inFeatures: 13, outFeatures: 3 },
    { bindings: { batch: 3 } },
  ),
  defineCase('linear/rank4', {
    description: 'a linear over the last dim of [N, C, H, W]',
    inputs: { x: { shape: ['batch', 2, 3, 7] } },
    nodes: [{ id: 'fc', op: 'linear', inFeatures: 7, outFeatures: 4 }],
    bindings: { batch: 2 },
  }),
  unaryCase(
    'linear/rank1',
    [7],
    { id: 'fc', op: 'linear', inFeatures: 7, outFeatures: 3 },
    { description: 'a single vector, no batch dim' },
  ),
];
