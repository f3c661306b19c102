// add and mul with NumPy broadcasting: align the shapes at their last dims; a dim of 1 (or a
// missing leading dim) repeats. y[i] = f(a[i mod a's shape], b[i mod b's shape]).
import { broadcastShapes } from '@tessera/spec';
import { type F64Tensor, numel, offset, strides, unravel } from '../tensor.js';
import type { Kernel } from './types.js';

/** The strides to read a tensor of shape `own` at an output index of `shape`: 0 along broadcast dims. */
export function broadcastStrides(own: readonly number[], shape: readonly number[]): number[] {
  const stride = strides(own);
  const lead = shape.length - own.length;
  return shape.map((_, i) => (i < lead || own[i - lead] === 1 ? 0 : stride[i - lead]));
}

export function broadcast(
  a: F64Tensor,
  b: F64Tensor,
  f: (p: number, q: number) => number,
): F64Tensor {
  const shape = broadcastShapes(a.shape, b.shape) as number[];
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const data = new Float64Array(numel(shape));
  for (let i = 0; i < data.length; i++) {
    const index = unravel(i, shape);
    data[i] = f(a.data[offset(index, sa)], b.data[offset(index, sb)]);
  }
  return { shape, data };
}

export function binaryKernel<O extends 'add' | 'mul'>(
  f: (p: number, q: number) => number,
): Kernel<O> {
  return (_node, [a, b]) => broadcast(a, b, f);
}
