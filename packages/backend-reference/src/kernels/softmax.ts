// softmax(x)_i = e^(x_i - m) / Σ_j e^(x_j - m) along `dim`, with m = max_j x_j so no exp overflows.
import { type F64Tensor, lanes, normAxis } from '../tensor.js';
import type { Kernel } from './types.js';

/** Applies `f` to every lane along `axis`: f(values of the lane) → new values of the lane. */
export function alongAxis(
  x: F64Tensor,
  axis: number,
  f: (lane: Float64Array) => Float64Array,
): F64Tensor {
  const { outer, size, inner } = lanes(x.shape, axis);
  const data = new Float64Array(x.data.length);
  const lane = new Float64Array(size);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      for (let i = 0; i < size; i++) lane[i] = x.data[(o * size + i) * inner + k];
      const y = f(lane);
      for (let i = 0; i < size; i++) data[(o * size + i) * inner + k] = y[i];
    }
  }
  return { shape: [...x.shape], data };
}

export function softmaxLane(lane: Float64Array): Float64Array {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of lane) m = Math.max(m, v);
  const out = new Float64Array(lane.length);
  // A lane that is all -inf (a fully masked row) has no maximum to subtract; PyTorch gives NaN.
  let sum = 0;
  for (let i = 0; i < lane.length; i++) {
    out[i] = Math.exp(lane[i] - m);
    sum += out[i];
  }
  for (let i = 0; i < lane.length; i++) out[i] /= sum;
  return out;
}

export const softmax: Kernel<'softmax'> = (node, [x]) =>
  alongAxis(x, normAxis(node.dim, x.shape.length), softmaxLane);
