import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

const repeat = (x: ReturnType<typeof f32>, repeats: number, dim: number) =>
  evaluate([{ id: 'r', op: 'repeatInterleave', input: 'x', repeats, dim }], { x }).out;

describe('repeatInterleave', () => {
  it('dim 1 of [batch, kvHeads, time, headDim] (repeat_kv): head h reads kv head floor(h / 2)', () => {
    // [1, 2, 1, 2]: kv head 0 = [1, 2], kv head 1 = [3, 4] → heads [1, 2], [1, 2], [3, 4], [3, 4].
    const y = repeat(f32([1, 2, 1, 2], [1, 2, 3, 4]), 2, 1);
    expect(y.shape).toEqual([1, 4, 1, 2]);
    expectClose(y.data, [1, 2, 1, 2, 3, 4, 3, 4], 0);
  });

  it('dim 2 (time), 3 repeats, two batch rows', () => {
    // [2, 1, 2, 2]: row 0 has times [1, 2], [3, 4]; row 1 has [5, 6], [7, 8]. Each time step
    // appears 3 times in a row, within its own batch row.
    const y = repeat(f32([2, 1, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), 3, 2);
    expect(y.shape).toEqual([2, 1, 6, 2]);
    expectClose(
      y.data,
      [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 5, 6, 5, 6, 5, 6, 7, 8, 7, 8, 7, 8],
      0,
    );
  });

  it('a negative dim counts from the end: dim −1 repeats each element', () => {
    // [1, 2, 2] = [[1, 2], [3, 4]] → [[1, 1, 2, 2], [3, 3, 4, 4]].
    const y = repeat(f32([1, 2, 2], [1, 2, 3, 4]), 2, -1);
    expect(y.shape).toEqual([1, 2, 4]);
    expectClose(y.data, [1, 1, 2, 2, 3, 3, 4, 4], 0);
  });

  it('one repeat is the identity', () => {
    const y = repeat(f32([1, 3, 2], [1, 2, 3, 4, 5, 6]), 1, 1);
    expect(y.shape).toEqual([1, 3, 2]);
    expectClose(y.data, [1, 2, 3, 4, 5, 6], 0);
  });
});
