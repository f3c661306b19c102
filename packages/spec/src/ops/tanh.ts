import { defineOp } from './common.js';
import { elementwise, unaryBase } from './unary.js';

export const tanh = defineOp({
  ...unaryBase('tanh', 'nn.Tanh: tanh(x), elementwise'),
  flops: elementwise(1),
  examples: [{ input: { shape: [2, 3] }, node: {}, shape: [2, 3] }],
});
