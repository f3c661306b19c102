// add and mul with NumPy broadcasting: align the shapes at their last dims; a dim of 1 (or a
// missing leading dim) repeats. y[i] = f(a[i mod a's shape], b[i mod b's shape]).
import { broadcastShapes } from '@tessera/spec';
import { type F64Tensor, numel, offset, strides, unravel } from '../tensor.js';
import type { Kernel } from './types.js';

/** The strides to read `t` at an output index of `shape`: 0 along broadcast dims. */
function broadcastStrides(t: F64Tensor, shape: number[]): number[] {
  const own = strides(t.shape);
  const lead = shape.length - t.shape.length;
  return shape.map((_, i) => (i < lead || t.shape[i - lead] === 1 ? 0 : own[i - lead]));
}

export function broadcast(
  a: F64Tensor,
  b: F64Tensor,
  f: (p: number, q: number) => number,
): F64Tensor {
  const shape = broadcastShapes(a.shape, b.shape) as number[];
  const sa = broadcastStrides(a, shape);
  const sb = broadcastStrides(b, shape);
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
