// silu(x) = x · sigmoid(x)
import { defineOp } from './common.js';
import { elementwise, unaryBase } from './unary.js';

export const silu = defineOp({
  ...unaryBase('silu', 'nn.SiLU (swish): x · sigmoid(x), elementwise'),
  flops: elementwise(2), // the sigmoid and the product
  examples: [{ input: { shape: [2, 3] }, node: {}, shape: [2, 3] }],
});
