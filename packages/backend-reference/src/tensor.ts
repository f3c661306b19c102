// Float64 tensors: the only value type the reference computes with. Int32 model inputs (token ids)
// are held as float64 too; every int32 value is exact in a float64.
import { numel, strides, type Tensor } from '@tessera/spec';

/** A float64 tensor, as the reference computes (int32 values held exactly). */
export interface F64Tensor {
  shape: number[];
  data: Float64Array;
}

/** A tensor of the given shape, zero-filled or holding `data` (copied). */
export function f64(shape: readonly number[], data?: ArrayLike<number>): F64Tensor {
  const n = numel(shape);
  const out = new Float64Array(n);
  if (data !== undefined) {
    if (data.length !== n)
      throw new RangeError(`shape [${shape.join(', ')}] needs ${n} values, got ${data.length}`);
    out.set(data);
  }
  return { shape: [...shape], data: out };
}

/** Copies a float32 or int32 tensor into float64 (exact). */
export function fromTensor(t: Tensor): F64Tensor {
  return f64(t.shape, t.data);
}

/** Rounds to float32 (nearest, as Float32Array assignment does) or converts to int32. */
export function toTensor(t: F64Tensor, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  const data = dtype === 'float32' ? Float32Array.from(t.data) : Int32Array.from(t.data);
  return { dtype, shape: [...t.shape], data };
}

/** Row-major index of a multi-index. */
export function offset(index: readonly number[], stride: readonly number[]): number {
  let o = 0;
  for (let i = 0; i < index.length; i++) o += index[i] * stride[i];
  return o;
}

/** The multi-index of a flat row-major offset. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return index;
}

/**
 * Splits a shape around one axis into (outer, size, inner), so that element (o, i, k) sits at
 * offset (o·size + i)·inner + k. Reductions along an axis walk the `size` elements of each lane.
 */
export function lanes(
  shape: readonly number[],
  axis: number,
): { outer: number; size: number; inner: number } {
  return {
    outer: numel(shape.slice(0, axis)),
    size: shape[axis],
    inner: numel(shape.slice(axis + 1)),
  };
}

/** Normalises a possibly negative axis (the spec's shape rules have already range-checked it). */
export function normAxis(dim: number, rank: number): number {
  return dim < 0 ? dim + rank : dim;
}

export { numel, strides };
