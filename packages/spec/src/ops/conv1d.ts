import { convOp } from './conv.js';

export const conv1d = convOp('conv1d', 1, [
  // L_out = floor((10 + 2·1 − 2·(3−1) − 1)/2) + 1 = floor(7/2) + 1 = 4
  {
    input: { shape: ['b', 4, 10] },
    node: {
      inChannels: 4,
      outChannels: 6,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      dilation: 2,
      groups: 2,
    },
    shape: ['b', 6, 4],
    weights: { 'n.weight': [6, 2, 3], 'n.bias': [6] },
  },
  {
    input: { shape: ['b', 2, 'L'] },
    node: { inChannels: 2, outChannels: 3, kernelSize: 4, padding: 'same' },
    shape: ['b', 3, 'L'],
    weights: { 'n.weight': [3, 2, 4], 'n.bias': [3] },
  },
]);
