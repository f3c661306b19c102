import { avgPoolOp } from './pool.js';

export const avgPool2d = avgPoolOp('avgPool2d', 2, [
  // ceil((5 + 2 − 2)/2) + 1 = 4; last window starts at 6 ≥ 5 + 1, so it is dropped: 3
  {
    input: { shape: [1, 1, 5, 5] },
    node: { kernelSize: 2, stride: 2, padding: 1, ceilMode: true },
    shape: [1, 1, 3, 3],
  },
]);
