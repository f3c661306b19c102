import { convOp } from './conv.js';

export const conv2d = convOp('conv2d', 2, [
  // H_out = floor((9 + 0 − 3)/1) + 1 = 7; W_out = floor((8 + 2·2 − 5)/2) + 1 = 4
  {
    input: { shape: [1, 3, 9, 8] },
    node: {
      inChannels: 3,
      outChannels: 2,
      kernelSize: [3, 5],
      stride: [1, 2],
      padding: [0, 2],
      bias: false,
    },
    shape: [1, 2, 7, 4],
    weights: { 'n.weight': [2, 3, 3, 5] },
  },
]);
