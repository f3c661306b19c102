// The elementwise ops share one factory: y_i = f(x_i), same shape.
import type { NodeOf } from '@tessera/spec';
import type { F64Tensor } from '../tensor.js';
import type { Kernel } from './types.js';

type UnaryOp = 'relu' | 'gelu' | 'tanh' | 'sigmoid' | 'silu' | 'dropout';

export function map(x: F64Tensor, f: (v: number) => number): F64Tensor {
  const data = new Float64Array(x.data.length);
  for (let i = 0; i < data.length; i++) data[i] = f(x.data[i]);
  return { shape: [...x.shape], data };
}

/** `fn(node)` picks the scalar function from the node's attributes (gelu's `approximate`). */
export function unaryKernel<O extends UnaryOp>(
  fn: (node: NodeOf<O>) => (v: number) => number,
): Kernel<O> {
  return (node, [x]) => map(x, fn(node));
}

/** σ(x) = 1 / (1 + e^(-x)), written so that neither branch overflows. */
export function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}
