import { at, defineCase, inf, nan, unaryCase } from './define.js';

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
  defineCase('batchNorm/input-and-after-conv1d', {
    description: "on the model's [N, C, L] input, and without affine after a conv1d",
    inputs: { x: { shape: ['batch', 3, 7] } },
    nodes: [
      { id: 'bn1', op: 'batchNorm', input: 'x', numFeatures: 3 },
      { id: 'c', op: 'conv1d', input: 'x', inChannels: 3, outChannels: 4, kernelSize: 3 },
      { id: 'bn2', op: 'batchNorm', input: 'c', numFeatures: 4, affine: false },
    ],
    outputs: { a: 'bn1', b: 'bn2' },
    bindings: { batch: 2 },
  }),
  // Eval mode is an affine map per channel: NaN stays NaN, ±inf stays infinite (its sign
  // follows weight's).
  defineCase('batchNorm/non-finite', {
    description: 'NaN, +inf and −inf elements',
    inputs: { x: { shape: ['batch', 4, 5] } },
    nodes: [{ id: 'bn', op: 'batchNorm', numFeatures: 4 }],
    bindings: { batch: 2 },
    special: { x: at([[0, 0, 1], nan], [[0, 3, 4], inf], [[1, 2, 0], -inf]) },
  }),
];
