import { binaryOp } from './binary.js';

export const mul = binaryOp(
  'mul',
  'torch.mul(a, b): a · b elementwise of two inputs, NumPy broadcasting',
  [{ input: { shape: [2, 3] }, extraInputs: [{ shape: [2, 3] }], node: {}, shape: [2, 3] }],
);
