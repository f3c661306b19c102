import { maxPoolOp } from './pool.js';

export const maxPool2d = maxPoolOp('maxPool2d', 2, [
  // floor((6 + 2·1 − 2·(3−1) − 1)/1) + 1 = 4
  {
    input: { shape: [1, 1, 6, 6] },
    node: { kernelSize: 3, stride: 1, padding: 1, dilation: 2 },
    shape: [1, 1, 4, 4],
  },
]);
