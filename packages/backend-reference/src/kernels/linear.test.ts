import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

describe('linear', () => {
  it('y = x Wᵀ + b over the last dim', () => {
    // W = [[1, 0], [1, 1], [0, -1]], b = [0.5, 0, 1]:
    //   x = [1, 2] → [1 + 0.5, 1 + 2, -2 + 1] = [1.5, 3, -1]; x = [3, 4] → [3.5, 7, -3].
    const out = evaluate(
      [{ id: 'l', op: 'linear', inFeatures: 2, outFeatures: 3 }],
      { x: f32([1, 2, 2], [1, 2, 3, 4]) },
      { 'l.weight': [1, 0, 1, 1, 0, -1], 'l.bias': [0.5, 0, 1] },
    );
    expect(out.out.shape).toEqual([1, 2, 3]);
    expectClose(out.out.data, [1.5, 3, -1, 3.5, 7, -3], 0);
  });

  it('bias: false adds nothing', () => {
    const out = evaluate(
      [{ id: 'l', op: 'linear', inFeatures: 2, outFeatures: 1, bias: false }],
      { x: f32([2], [3, 4]) },
      { 'l.weight': [2, -1] },
    );
    expectClose(out.out.data, [2], 0);
  });
});
