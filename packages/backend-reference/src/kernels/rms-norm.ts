// nn.RMSNorm over the last k dims of each row: y = x / √(mean(x²) + eps) · weight.
import { normShape } from '@tessera/spec';
import { numel } from '../tensor.js';
import type { Kernel } from './types.js';

export const rmsNorm: Kernel<'rmsNorm'> = (node, [x], ctx) => {
  const m = numel(normShape(node.normalizedShape));
  const weight = node.elementwiseAffine ? ctx.weight(node, 'weight') : undefined;
  const data = new Float64Array(x.data.length);
  for (let r = 0; r < x.data.length / m; r++) {
    let meanSquare = 0;
    for (let i = 0; i < m; i++) meanSquare += x.data[r * m + i] ** 2;
    meanSquare /= m;
    const inv = 1 / Math.sqrt(meanSquare + node.eps);
    for (let i = 0; i < m; i++)
      data[r * m + i] = x.data[r * m + i] * inv * (weight === undefined ? 1 : weight.data[i]);
  }
  return { shape: [...x.shape], data };
};
