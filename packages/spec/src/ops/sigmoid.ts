// sigmoid(x) = 1 / (1 + e^-x)
import { defineOp } from './common.js';
import { elementwise, unaryBase } from './unary.js';

export const sigmoid = defineOp({
  ...unaryBase('sigmoid', 'nn.Sigmoid: 1 / (1 + e^−x), elementwise'),
  flops: elementwise(1),
  examples: [{ input: { shape: [2, 3] }, node: {}, shape: [2, 3] }],
});
