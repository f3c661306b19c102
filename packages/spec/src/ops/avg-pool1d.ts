import { avgPoolOp } from './pool.js';

export const avgPool1d = avgPoolOp('avgPool1d', 1, [
  // stride defaults to the kernel: floor((9 + 2 − 3)/3) + 1 = 3
  { input: { shape: [1, 2, 9] }, node: { kernelSize: 3, padding: 1 }, shape: [1, 2, 3] },
]);
