// softmax(x)_i = e^(x_i - m) / Σ_j e^(x_j - m), m = max_j x_j, along `dim`;
// logSoftmax(x)_i = x_i - m - log Σ_j e^(x_j - m).

import { rowOf, softmaxStats } from './reduce.js';
import { around } from './source.js';
import type { KernelContext, OpKernel, Value } from './types.js';

export function softmaxAlong(ctx: KernelContext, x: Value, dim: number, log: boolean): Value {
  const axis = dim < 0 ? dim + x.shape.length : dim;
  const split = around(x.shape, axis);
  const [max, sum] = softmaxStats(ctx, x, split);
  const value = log
    ? 'return a0[i] - a1[row] - Math.log(a2[row]);'
    : 'return Math.exp(a0[i] - a1[row]) / a2[row];';
  return ctx.run(x.shape, [x, max, sum], (n) => `${rowOf(split[1], split[2], n)}\n${value}`);
}

export function softmaxKernel(name: 'softmax' | 'logSoftmax'): OpKernel<'softmax' | 'logSoftmax'> {
  return (node, [x], ctx) => softmaxAlong(ctx, x, node.dim, name === 'logSoftmax');
}
