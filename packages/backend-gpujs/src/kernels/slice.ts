// x[..., start:end, ...] along one dim: seen as [outer, size, inner], output element i (of
// [outer, length, inner]) reads x[i + o·(size − length)·inner + start·inner], o = ⌊i / (length·inner)⌋.
import { sliceBounds } from '@tessera/spec';
import { around, lit } from './source.js';
import type { KernelContext, OpKernel, Value } from './types.js';

/** x[..., start:start + length, ...] along `axis` (a non-negative dim). */
export function sliceAlong(
  ctx: KernelContext,
  x: Value,
  axis: number,
  start: number,
  length: number,
): Value {
  const [, size, inner] = around(x.shape, axis);
  if (length === size) return x;
  const shape = [...x.shape];
  shape[axis] = length;
  const skip = (size - length) * inner;
  const body = `const o = Math.floor(i / ${lit(length * inner)});
return a0[i + o * ${lit(skip)}${start === 0 ? '' : ` + ${lit(start * inner)}`}];`;
  return ctx.run(shape, [x], body);
}

export const slice: OpKernel<'slice'> = (node, [x], ctx) => {
  const axis = node.dim < 0 ? node.dim + x.shape.length : node.dim;
  const [start, end] = sliceBounds(node, x.shape[axis]);
  return sliceAlong(ctx, x, axis, start, end - start);
};
