// Training data: a whole dataset held as tensors (batched and shuffled here), or a caller's
// stream of ready-made batches. Also the seeded shuffle, so that the same seed gives the same order.
import { InputError, numel, Rng, type Tensor } from '@tessera/spec';

/** Tensors with the example (batch) dimension first. */
export interface Batch {
  /** Every model input, by name. */
  inputs: Record<string, Tensor>;
  /** What the loss compares the output with (see LossSpec). */
  targets: Tensor;
  /** CTC only: int32 [B], each row's label count, instead of −1 padding. */
  targetLengths?: Tensor;
}

/**
 * - A `Batch` is the whole dataset: train cuts it into batches of `batchSize` examples, in a
 *   fresh seeded order each epoch (when `shuffle`); the last batch of an epoch may be smaller.
 *   Everything is checked before the first step.
 * - An `Iterable` or `AsyncIterable` of batches is a stream the caller batches and orders:
 *   each batch is one step, used as given (`batchSize` and `shuffle` do not apply); each epoch
 *   iterates it again, so pass an array or an object whose [Symbol.iterator]() restarts (a spent
 *   generator gives an empty epoch, which is an error). Each batch is checked before its step.
 */
export type TrainingData = Batch | Iterable<Batch> | AsyncIterable<Batch>;

export function isBatch(data: TrainingData): data is Batch {
  return (
    data !== null &&
    typeof data === 'object' &&
    'inputs' in data &&
    'targets' in data &&
    !(Symbol.iterator in data)
  );
}

/** The batch size of a dataset: the first dim shared by every input and the targets. */
export function exampleCount(batch: Batch, where: string): number {
  if (
    batch === null ||
    typeof batch !== 'object' ||
    batch.inputs === null ||
    typeof batch.inputs !== 'object'
  ) {
    throw new InputError('is not a batch { inputs, targets }', where);
  }
  const firsts: [string, Tensor | undefined][] = [
    ...Object.entries(batch.inputs),
    ['targets', batch.targets],
  ];
  if (batch.targetLengths !== undefined) firsts.push(['targetLengths', batch.targetLengths]);
  let n: number | undefined;
  let first = '';
  for (const [name, t] of firsts) {
    if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || t.shape.length === 0) {
      throw new InputError(`${name} is not a tensor with a batch dimension first`, where);
    }
    if (n === undefined) {
      n = t.shape[0];
      first = name;
    } else if (t.shape[0] !== n) {
      throw new InputError(
        `${name} has ${t.shape[0]} examples (dim 0) but ${first} has ${n}`,
        where,
      );
    }
  }
  if (n === undefined || n < 1) throw new InputError('holds no examples', where);
  return n;
}

/** A permutation of 0..n−1 by Fisher–Yates, drawn from Rng(seed, epoch): same seed, same order. */
export function shuffledOrder(n: number, seed: number, epoch: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed, epoch);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The rows `indices` of a batch-first tensor, as a new tensor. */
export function takeRows(t: Tensor, indices: readonly number[]): Tensor {
  const row = numel(t.shape.slice(1));
  const data =
    t.dtype === 'float32'
      ? new Float32Array(indices.length * row)
      : new Int32Array(indices.length * row);
  for (const [i, r] of indices.entries())
    data.set(t.data.subarray(r * row, (r + 1) * row), i * row);
  return { dtype: t.dtype, shape: [indices.length, ...t.shape.slice(1)], data };
}

export function takeBatch(b: Batch, indices: readonly number[]): Batch {
  const inputs: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(b.inputs)) inputs[name] = takeRows(t, indices);
  const out: Batch = { inputs, targets: takeRows(b.targets, indices) };
  if (b.targetLengths !== undefined) out.targetLengths = takeRows(b.targetLengths, indices);
  return out;
}

/** The index lists of one epoch's batches. */
export function epochBatches(
  n: number,
  batchSize: number,
  shuffle: boolean,
  seed: number,
  epoch: number,
): number[][] {
  const order = shuffle ? shuffledOrder(n, seed, epoch) : Array.from({ length: n }, (_, i) => i);
  const out: number[][] = [];
  for (let i = 0; i < n; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}
