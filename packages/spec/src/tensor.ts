// Tensors as plain data: a dtype, a row-major shape and a typed array.

/** The element types a tensor holds. */
export type DType = 'float32' | 'int32';

/** The typed array that holds the values of dtype `D`. */
export type DataOf<D extends DType> = D extends 'int32' ? Int32Array : Float32Array;

/**
 * A tensor: a dtype, a row-major shape and its values. `Tensor<'int32'>` is one whose dtype is
 * known (a typed spec's input); plain `Tensor` is either.
 */
export interface Tensor<D extends DType = DType> {
  dtype: D;
  shape: number[];
  data: DataOf<D>;
}

/** A set of named weights, PyTorch state_dict names (`enc.weight_ih_l0`) to tensors. */
export type Weights = Map<string, Tensor>;

/**
 * Named tensors as every Tessera API takes them (weights, inputs, decoder steps): a Map (what
 * readSafetensors gives) or a plain object.
 */
export type TensorMap = Map<string, Tensor> | Record<string, Tensor>;

/** Named tensors as a plain object (a Map's entries, in its order; an object as it is). */
export function tensorRecord(tensors: TensorMap): Record<string, Tensor> {
  return tensors instanceof Map ? Object.fromEntries(tensors) : tensors;
}

/** The number of elements of a shape (1 for a scalar's `[]`). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A tensor of `dtype` and `shape`, zero-filled or holding `data` (which must have numel(shape)
 * values). `tensor(data, shape)` takes the dtype from the data: an Int32Array is int32, a
 * Float32Array or a plain array float32.
 *
 * @example
 * tensor('int32', [1, 3], [5, 2, 7]); // { dtype: 'int32', shape: [1, 3], data: Int32Array [5, 2, 7] }
 * tensor(new Float32Array(6), [2, 3]); // float32 zeros [2, 3]
 */
export function tensor(data: Int32Array, shape?: readonly number[]): Tensor<'int32'>;
export function tensor(
  data: Float32Array | readonly number[],
  shape?: readonly number[],
): Tensor<'float32'>;
// Last, so that `ReturnType<typeof tensor>` is a plain Tensor.
export function tensor<D extends DType>(
  dtype: D,
  shape: readonly number[],
  data?: ArrayLike<number>,
): Tensor<D>;
export function tensor(
  first: DType | ArrayLike<number>,
  shape?: readonly number[],
  data?: ArrayLike<number>,
): Tensor {
  if (typeof first === 'string') return filled(first, shape ?? [], data);
  return filled(first instanceof Int32Array ? 'int32' : 'float32', shape ?? [first.length], first);
}

/**
 * A float32 tensor of `data` (a plain array or a typed array; 1-D when `shape` is left out).
 *
 * @example
 * float32([1, 2, 3, 4, 5, 6], [2, 3]);
 */
export function float32(data: ArrayLike<number>, shape?: readonly number[]): Tensor<'float32'> {
  return filled('float32', shape ?? [data.length], data);
}

/**
 * An int32 tensor of `data` (token ids, lengths; 1-D when `shape` is left out). A value that is
 * not an integer in int32's range is a RangeError, not a silent truncation.
 *
 * @example
 * int32([3, 1, 4], [1, 3]); // a batch of one sequence of three token ids
 */
export function int32(data: ArrayLike<number>, shape?: readonly number[]): Tensor<'int32'> {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
      throw new RangeError(`int32 tensor: value ${v} at index ${i} is not an int32`);
  }
  return filled('int32', shape ?? [data.length], data);
}

function filled<D extends DType>(
  dtype: D,
  shape: readonly number[],
  data: ArrayLike<number> | undefined,
): Tensor<D> {
  const n = numel(shape);
  // The dtype picks the array; TypeScript cannot follow a conditional type through a ternary.
  const array = (dtype === 'float32' ? new Float32Array(n) : new Int32Array(n)) as DataOf<D>;
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
