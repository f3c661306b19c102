// Training examples for a next-token language model: windows of `length` ids at seeded random
// offsets; the targets are the same windows shifted by one (x = ids[o .. o+T), y = ids[o+1 .. o+T]).
import { Rng, type Tensor } from '@tessera/spec';

export function randomWindows(
  ids: Int32Array,
  count: number,
  length: number,
  seed: number,
): { inputs: { tokens: Tensor }; targets: Tensor } {
  if (ids.length < length + 1)
    throw new RangeError(`the text has ${ids.length} tokens, fewer than a window of ${length} + 1`);
  const rng = new Rng(seed);
  const x = new Int32Array(count * length);
  const y = new Int32Array(count * length);
  for (let i = 0; i < count; i++) {
    const o = rng.int(0, ids.length - length);
    x.set(ids.subarray(o, o + length), i * length);
    y.set(ids.subarray(o + 1, o + length + 1), i * length);
  }
  return {
    inputs: { tokens: { dtype: 'int32', shape: [count, length], data: x } },
    targets: { dtype: 'int32', shape: [count, length], data: y },
  };
}
