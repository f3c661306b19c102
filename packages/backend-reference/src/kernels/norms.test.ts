import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

describe('layerNorm', () => {
  it('normalises each row with the biased variance, then scales and shifts', () => {
    // Row [1, 2, 3, 4]: μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25,
    // (x - μ)/√(1.25 + 1e-5) = [-1.3416354199689269, -0.447211806656309, 0.447211806656309, 1.3416354199689269].
    // weight [1, 1, 2, 2], bias [0, 0, 0, 1].
    const z = [-1.3416354199689269, -0.447211806656309, 0.447211806656309, 1.3416354199689269];
    const out = evaluate(
      [{ id: 'n', op: 'layerNorm', normalizedShape: 4 }],
      { x: f32([2, 4], [1, 2, 3, 4, 4, 3, 2, 1]) },
      {
        'n.weight': [1, 1, 2, 2],
        'n.bias': [0, 0, 0, 1],
      },
    );
    expectClose(
      out.out.data,
      [z[0], z[1], 2 * z[2], 2 * z[3] + 1, z[3], z[2], 2 * z[1], 2 * z[0] + 1],
      1e-15,
    );
  });

  it('normalises over several trailing dims, without affine parameters', () => {
    // normalizedShape [2, 2] over [1, 2, 3, 4]: the same numbers as one row of 4.
    const out = evaluate(
      [{ id: 'n', op: 'layerNorm', normalizedShape: [2, 2], elementwiseAffine: false }],
      {
        x: f32([1, 2, 2], [1, 2, 3, 4]),
      },
    );
    expectClose(
      out.out.data,
      [-1.3416354199689269, -0.447211806656309, 0.447211806656309, 1.3416354199689269],
      1e-15,
    );
  });
});

describe('rmsNorm', () => {
  it('divides by the root mean square', () => {
    // [3, 4]: mean(x²) = 12.5, eps = 2^-23: 3/√(12.5 + 2^-23) = 0.8485281333777596, 4/… = 1.1313708445036794;
    // weight [1, 2].
    const out = evaluate(
      [{ id: 'n', op: 'rmsNorm', normalizedShape: [2] }],
      { x: f32([1, 2], [3, 4]) },
      { 'n.weight': [1, 2] },
    );
    expectClose(out.out.data, [0.8485281333777596, 2 * 1.1313708445036794], 1e-15);
  });
});

describe('batchNorm', () => {
  it('uses the running statistics per channel (dim 1)', () => {
    // Layout [N = 1, C = 2, L = 2]. Channel 0: mean 0.5, var 4, weight 2, bias 1:
    //   (1 - 0.5)/√(4 + 1e-5)·2 + 1 = 1.4999993750011718, (3 - 0.5)/√(4 + 1e-5)·2 + 1 = 3.499996875005859.
    // Channel 1: mean 0, var 1, weight 1, bias 0: x/√(1 + 1e-5).
    const out = evaluate(
      [{ id: 'b', op: 'batchNorm', numFeatures: 2 }],
      { x: f32([1, 2, 2], [1, 3, 5, -6]) },
      {
        'b.weight': [2, 1],
        'b.bias': [1, 0],
        'b.running_mean': [0.5, 0],
        'b.running_var': [4, 1],
      },
    );
    expectClose(out.out.data.subarray(0, 2), [1.4999993750011718, 3.499996875005859], 1e-15);
    expectClose(out.out.data.subarray(2), [5 / Math.sqrt(1.00001), -6 / Math.sqrt(1.00001)], 1e-15);
    expect(out.out.shape).toEqual([1, 2, 2]);
  });
});
