import { defineCase, unaryCase } from './define.js';

export const batchNormCases = [
  unaryCase(
    'batchNorm/1d-2d-input',
    ['batch', 7],
    { id: 'bn', op: 'batchNorm', numFeatures: 7 },
    { description: 'BatchNorm1d on [N, C]', bindings: { batch: 3 } },
  ),
  unaryCase(
    'batchNorm/1d',
    ['batch', 5, 'length'],
    { id: 'bn', op: 'batchNorm', numFeatures: 5 },
    { description: 'BatchNorm1d on [N, C, L]', bindings: { batch: 2, length: 6 } },
  ),
  unaryCase(
    'batchNorm/2d',
    ['batch', 3, 5, 4],
    { id: 'bn', op: 'batchNorm', numFeatures: 3 },
    { description: 'BatchNorm2d on [N, C, H, W]', bindings: { batch: 2 } },
  ),
  defineCase('batchNorm/no-affine', {
    inputs: { x: { shape: ['batch', 4, 6] } },
    nodes: [{ id: 'bn', op: 'batchNorm', numFeatures: 4, affine: false, eps: 0.01 }],
    bindings: { batch: 2 },
  }),
];
