// Tensors as plain data: a dtype, a row-major shape and a typed array.

export type DType = 'float32' | 'int32';

export interface Tensor {
  dtype: DType;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A set of named weights, PyTorch state_dict names (`enc.weight_ih_l0`) to tensors. */
export type Weights = Map<string, Tensor>;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function tensor(
  dtype: DType,
  shape: number[],
  data?: ArrayLike<number> | Float32Array | Int32Array,
): Tensor {
  const n = numel(shape);
  const array = dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  if (data !== undefined) {
    if (data.length !== n) {
      throw new RangeError(
        `tensor of shape [${shape.join(', ')}] needs ${n} values, got ${data.length}`,
      );
    }
    array.set(data);
  }
  return { dtype, shape: [...shape], data: array };
}

/** Row-major strides of a shape. */
export function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}
