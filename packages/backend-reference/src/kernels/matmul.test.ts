import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

const matmul = (a: ReturnType<typeof f32>, b: ReturnType<typeof f32>) =>
  evaluate([{ id: 'n', op: 'matmul', input: ['a', 'b'] }], { a, b }).out;

describe('matmul', () => {
  it('[2, 3] · [3, 2]', () => {
    // [[1, 2, 3], [4, 5, 6]] · [[1, 0], [0, 1], [1, 1]]: row 0 = [1 + 3, 2 + 3] = [4, 5];
    // row 1 = [4 + 6, 5 + 6] = [10, 11].
    const y = matmul(f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3, 2], [1, 0, 0, 1, 1, 1]));
    expect(y.shape).toEqual([2, 2]);
    expectClose(y.data, [4, 5, 10, 11], 0);
  });

  it('a batch on one side only: [2, 1, 2] · [2, 2] multiplies each matrix by the same one', () => {
    // [1, 2]·[[1, 2], [3, 4]] = [1 + 6, 2 + 8] = [7, 10]; [3, 4]·… = [3 + 12, 6 + 16] = [15, 22].
    const y = matmul(f32([2, 1, 2], [1, 2, 3, 4]), f32([2, 2], [1, 2, 3, 4]));
    expect(y.shape).toEqual([2, 1, 2]);
    expectClose(y.data, [7, 10, 15, 22], 0);
  });

  it('batch dims broadcast: [2, 1, 1, 2] · [3, 2, 1] → [2, 3, 1, 1]', () => {
    // a_0 = [1, 2], a_1 = [3, 4]; c_j = [j, 1]ᵀ for j = 0, 1, 2. y[b, j] = a_b · c_j:
    // b = 0: [2, 1 + 2, 2 + 2] = [2, 3, 4]; b = 1: [4, 3 + 4, 6 + 4] = [4, 7, 10].
    const y = matmul(f32([2, 1, 1, 2], [1, 2, 3, 4]), f32([3, 2, 1], [0, 1, 1, 1, 2, 1]));
    expect(y.shape).toEqual([2, 3, 1, 1]);
    expectClose(y.data, [2, 3, 4, 4, 7, 10], 0);
  });
});
