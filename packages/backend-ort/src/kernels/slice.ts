// x[..., start:end, ...] is Slice with constant starts, ends and axes: the sliced dim is known at
// compile time, so the spec's Python bounds are clamped here (sliceBounds) once.
import { sliceBounds } from '@tessera/spec';
import type { Emitter } from './types.js';

export const slice: Emitter<'slice'> = ({ b, inputs: [x], hint, node, inShapes }) => {
  const shape = inShapes[0].shape;
  const dim = node.dim < 0 ? node.dim + shape.length : node.dim;
  const size = shape[dim];
  if (typeof size !== 'number') throw new Error(`internal: slice ${node.id} of a symbolic dim`);
  const [start, end] = sliceBounds(node, size);
  return b.op1('Slice', [x, b.i64([start]), b.i64([end]), b.i64([dim])], hint);
};
