import { maxPoolOp } from './pool.js';

export const maxPool1d = maxPoolOp('maxPool1d', 1, [
  // ceil_mode: ceil((7 + 0 − 2)/2) + 1 = 4; the last window starts at 6 < 7, so it stays.
  { input: { shape: [1, 2, 7] }, node: { kernelSize: 2, ceilMode: true }, shape: [1, 2, 4] },
]);
