// logSoftmax(x)_i = (x_i - m) - log Σ_j e^(x_j - m), m = max_j x_j.
import { normAxis } from '../tensor.js';
import { alongAxis } from './softmax.js';
import type { Kernel } from './types.js';

function logSoftmaxLane(lane: Float64Array): Float64Array {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of lane) m = Math.max(m, v);
  let sum = 0;
  for (const v of lane) sum += Math.exp(v - m);
  const logSum = Math.log(sum);
  return lane.map((v) => v - m - logSum);
}

export const logSoftmax: Kernel<'logSoftmax'> = (node, [x]) =>
  alongAxis(x, normAxis(node.dim, x.shape.length), logSoftmaxLane);
