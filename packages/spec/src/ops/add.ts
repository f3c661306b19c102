import { binaryOp } from './binary.js';

export const add = binaryOp(
  'add',
  'torch.add(a, b): a + b of two inputs, NumPy broadcasting (a residual connection)',
  [
    { input: { shape: [2, 3] }, extraInputs: [{ shape: [2, 3] }], node: {}, shape: [2, 3] },
    // [b, 1, 4] + [3, 1]: align trailing dims, each 1 stretches → [b, 3, 4]
    {
      input: { shape: ['b', 1, 4] },
      extraInputs: [{ shape: [3, 1] }],
      node: {},
      shape: ['b', 3, 4],
    },
  ],
);
