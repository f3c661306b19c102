// nn.LayerNorm over the last k = normalizedShape.length dims of each row:
// y = (x - μ) / √(σ² + eps) · weight + bias, μ and σ² the mean and biased variance of the row.
import { normShape } from '@tessera/spec';
import { numel } from '../tensor.js';
import type { Kernel } from './types.js';

export const layerNorm: Kernel<'layerNorm'> = (node, [x], ctx) => {
  const m = numel(normShape(node.normalizedShape));
  const weight = node.elementwiseAffine ? ctx.weight(node, 'weight') : undefined;
  const bias = node.elementwiseAffine ? ctx.optionalWeight(node, 'bias') : undefined;
  const data = new Float64Array(x.data.length);
  for (let r = 0; r < x.data.length / m; r++) {
    const row = x.data.subarray(r * m, (r + 1) * m);
    let mu = 0;
    for (const v of row) mu += v;
    mu /= m;
    let variance = 0;
    for (const v of row) variance += (v - mu) * (v - mu);
    variance /= m;
    const inv = 1 / Math.sqrt(variance + node.eps);
    for (let i = 0; i < m; i++) {
      let y = (row[i] - mu) * inv;
      if (weight !== undefined) y *= weight.data[i];
      if (bias !== undefined) y += bias.data[i];
      data[r * m + i] = y;
    }
  }
  return { shape: [...x.shape], data };
};
