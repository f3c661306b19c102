import { binaryOp } from './binary.js';

export const mul = binaryOp('mul', [
  { input: { shape: [2, 3] }, extraInputs: [{ shape: [2, 3] }], node: {}, shape: [2, 3] },
]);
