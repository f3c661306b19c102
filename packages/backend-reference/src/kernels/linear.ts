// nn.Linear over the last dim: y[r, o] = Σ_i x[r, i]·W[o, i] + b[o].
import type { F64Tensor } from '../tensor.js';
import type { Kernel } from './types.js';

/** y = x Wᵀ + b with W [out, in] and x [..., in]; shared by attention's projections. */
export function affine(x: F64Tensor, w: F64Tensor, b: F64Tensor | undefined): F64Tensor {
  const [outF, inF] = w.shape;
  const rows = x.data.length / inF;
  const data = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let s = b === undefined ? 0 : b.data[o];
      for (let i = 0; i < inF; i++) s += x.data[r * inF + i] * w.data[o * inF + i];
      data[r * outF + o] = s;
    }
  }
  return { shape: [...x.shape.slice(0, -1), outF], data };
}

export const linear: Kernel<'linear'> = (node, [x], ctx) =>
  affine(x, ctx.weight(node, 'weight'), ctx.optionalWeight(node, 'bias'));
