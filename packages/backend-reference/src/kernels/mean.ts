// torch.mean(x, dim, keepdim): each output element is the average of the input elements that
// agree with it on every dim not reduced. With lengths (dim 1 only): the average over
// t < lengths[b] of x[b, t, ...].
import { meanAxes, splitLengths } from '@tessera/spec';
import { numel, offset, strides, unravel } from '../tensor.js';
import type { F64Tensor } from '../tensor.js';
import type { Kernel } from './types.js';

export const mean: Kernel<'mean'> = (node, ins) => {
  const {
    inputs: [x],
    lengths,
  } = splitLengths(node, ins);
  if (lengths !== undefined) return validMean(node.keepdim, x, lengths);
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

function validMean(keepdim: boolean, x: F64Tensor, lengths: F64Tensor): F64Tensor {
  const [batch, time, ...rest] = x.shape;
  const inner = numel(rest);
  const data = new Float64Array(batch * inner);
  for (let b = 0; b < batch; b++) {
    const valid = lengths.data[b];
    for (let t = 0; t < valid; t++)
      for (let i = 0; i < inner; i++) data[b * inner + i] += x.data[(b * time + t) * inner + i];
    for (let i = 0; i < inner; i++) data[b * inner + i] /= valid;
  }
  return { shape: keepdim ? [batch, 1, ...rest] : [batch, ...rest], data };
}
