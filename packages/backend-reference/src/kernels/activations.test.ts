// relu, gelu (both forms), tanh, sigmoid, silu, dropout, softmax, logSoftmax.
import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

const one = (op: string, x: number[], extra: Record<string, unknown> = {}) =>
  evaluate([{ id: 'f', op, ...extra } as never], { x: f32([x.length], x) }).out.data;

describe('elementwise activations', () => {
  it('relu, tanh, sigmoid, silu, dropout', () => {
    expectClose(one('relu', [-2, 0, 3]), [0, 0, 3], 0);
    // tanh(0.5) = 0.46211715726000974; σ(1) = 0.7310585786300049; silu(-2) = -2·σ(-2) = -0.2384058440442351.
    expectClose(one('tanh', [0.5]), [0.46211715726000974], 1e-16);
    expectClose(one('sigmoid', [1, 0, -1000, 1000]), [0.7310585786300049, 0.5, 0, 1], 1e-16);
    expectClose(one('silu', [1, -2]), [0.7310585786300049, -0.2384058440442351], 1e-16);
    expectClose(one('dropout', [1, -2, 3], { p: 0.9 }), [1, -2, 3], 0);
  });

  it('gelu, erf form: x·Φ(x)', () => {
    // Φ(1) = 0.8413447460685429, Φ(-1) = 0.15865525393145707 (normal tables);
    // Φ(-10) = 7.619853024160527e-24, so gelu(-10) = -7.61985e-23: the tail keeps its relative precision.
    const y = one('gelu', [1, -1, 0, -10]);
    expectClose(y.subarray(0, 3), [0.8413447460685429, -0.15865525393145707, 0], 1e-16);
    expect(Math.abs(y[3] / -7.619853024160593e-23 - 1)).toBeLessThan(1e-13);
  });

  it('gelu, tanh form', () => {
    // 0.5·1·(1 + tanh(√(2/π)·(1 + 0.044715))) = 0.5·(1 + tanh(0.833540)) = 0.8411919906082768.
    expectClose(one('gelu', [1], { approximate: 'tanh' }), [0.8411919906082768], 1e-16);
  });
});

describe('softmax and logSoftmax', () => {
  it('softmax([0, ln 2]) = [1/3, 2/3]; large inputs do not overflow', () => {
    // ln 2 reaches the model rounded to float32 (relative error < 6e-8), hence atol 5e-8.
    expectClose(one('softmax', [0, Math.log(2)]), [1 / 3, 2 / 3], 5e-8);
    expectClose(one('softmax', [1000, 1000]), [0.5, 0.5], 0);
    expectClose(one('logSoftmax', [0, Math.log(2)]), [Math.log(1 / 3), Math.log(2 / 3)], 5e-8);
    expectClose(one('logSoftmax', [1000, 1000]), [-Math.LN2, -Math.LN2], 1e-15);
  });

  it('rows along dim sum to 1, for every dim', () => {
    const data = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * 5);
    for (const dim of [0, 1, 2, -1]) {
      const out = evaluate([{ id: 's', op: 'softmax', dim }], { x: f32([2, 3, 4], data) }).out;
      const axis = dim < 0 ? dim + 3 : dim;
      const shape = [2, 3, 4];
      const sums = new Map<string, number>();
      out.data.forEach((v, flat) => {
        const idx = [Math.floor(flat / 12), Math.floor(flat / 4) % 3, flat % 4];
        idx[axis] = 0;
        sums.set(idx.join(), (sums.get(idx.join()) ?? 0) + v);
      });
      expect(sums.size).toBe(24 / shape[axis]);
      for (const s of sums.values()) expect(Math.abs(s - 1)).toBeLessThan(1e-15);
    }
  });

  it('softmax along dim 0 pairs elements across the first dim', () => {
    // x = [[0, 0], [ln 3, 0]] along dim 0: column 0 → [1/4, 3/4], column 1 → [1/2, 1/2].
    const out = evaluate([{ id: 's', op: 'softmax', dim: 0 }], {
      x: f32([2, 2], [0, 0, Math.log(3), 0]),
    }).out;
    expectClose(out.data, [0.25, 0.5, 0.75, 0.5], 1e-7); // ln 3 is rounded to float32 in the input
  });
});
