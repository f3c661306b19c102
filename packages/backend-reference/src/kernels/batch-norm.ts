// nn.BatchNorm1d/2d in eval mode, per channel c (dim 1):
// y = (x - running_mean[c]) / √(running_var[c] + eps) · weight[c] + bias[c].
import { numel } from '../tensor.js';
import type { Kernel } from './types.js';

export const batchNorm: Kernel<'batchNorm'> = (node, [x], ctx) => {
  const [n, channels] = x.shape;
  const inner = numel(x.shape.slice(2));
  const mean = ctx.weight(node, 'running_mean');
  const variance = ctx.weight(node, 'running_var');
  const weight = node.affine ? ctx.weight(node, 'weight') : undefined;
  const bias = node.affine ? ctx.weight(node, 'bias') : undefined;
  const data = new Float64Array(x.data.length);
  for (let b = 0; b < n; b++) {
    for (let c = 0; c < channels; c++) {
      const scale =
        (weight === undefined ? 1 : weight.data[c]) / Math.sqrt(variance.data[c] + node.eps);
      const shift = bias === undefined ? 0 : bias.data[c];
      for (let k = 0; k < inner; k++) {
        const i = (b * channels + c) * inner + k;
        data[i] = (x.data[i] - mean.data[c]) * scale + shift;
      }
    }
  }
  return { shape: [...x.shape], data };
};
