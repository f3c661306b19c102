import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

const inf = Number.NEGATIVE_INFINITY;
const mask = (x: ReturnType<typeof f32>) =>
  evaluate([{ id: 'n', op: 'causalMask', input: 'x' }], { x }).out;

describe('causalMask', () => {
  it('tq = tk: −∞ above the diagonal of every matrix (torch.triu(diagonal=1))', () => {
    // [[1, 2, 3], [4, 5, 6], [7, 8, 9]] → [[1, −∞, −∞], [4, 5, −∞], [7, 8, 9]]; the second matrix
    // (values + 10) the same.
    const x = f32([2, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const y = mask(x);
    expect(y.shape).toEqual([2, 3, 3]);
    expectClose(
      y.data,
      [1, inf, inf, 4, 5, inf, 7, 8, 9, 11, inf, inf, 14, 15, inf, 17, 18, 19],
      0,
    );
  });

  it('tq < tk: the queries are the last tq positions', () => {
    // tq = 2, tk = 3: query 0 sits at position 1 and sees keys 0, 1; query 1 (position 2) sees all.
    const y = mask(f32([1, 2, 3], [1, 2, 3, 4, 5, 6]));
    expectClose(y.data, [1, 2, inf, 4, 5, 6], 0);
  });
});
