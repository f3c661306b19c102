// relu(x) = max(x, 0)
import { defineOp } from './common.js';
import { elementwise, unaryBase } from './unary.js';

export const relu = defineOp({
  ...unaryBase('relu', 'nn.ReLU: max(x, 0), elementwise'),
  flops: elementwise(1),
  examples: [{ input: { shape: [2, 3] }, node: {}, shape: [2, 3] }],
});
