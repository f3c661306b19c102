// torch.mean(x, dim, keepdim): each output element is the average of the input elements that
// agree with it on every dim not reduced.
import { meanAxes } from '@tessera/spec';
import { numel, offset, strides, unravel } from '../tensor.js';
import type { Kernel } from './types.js';

export const mean: Kernel<'mean'> = (node, [x]) => {
  const axes = meanAxes(node.dim, x.shape.length);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keptStrides = strides(kept);
  const count = x.data.length / numel(kept);
  const data = new Float64Array(numel(kept));
  for (let i = 0; i < x.data.length; i++) {
    const index = unravel(i, x.shape).map((v, a) => (axes.includes(a) ? 0 : v));
    data[offset(index, keptStrides)] += x.data[i];
  }
  for (let i = 0; i < data.length; i++) data[i] /= count;
  const shape = node.keepdim ? kept : x.shape.filter((_, i) => !axes.includes(i));
  return { shape, data };
};
