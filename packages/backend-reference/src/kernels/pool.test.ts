import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

describe('maxPool', () => {
  it('ceilMode keeps a last partial window', () => {
    // L = 5, k = 2 (stride 2): ⌈(5 - 2)/2⌉ + 1 = 3 windows {0,1}, {2,3}, {4} over [1, 3, 2, 5, 4].
    const out = evaluate([{ id: 'p', op: 'maxPool1d', kernelSize: 2, ceilMode: true }], {
      x: f32([1, 1, 5], [1, 3, 2, 5, 4]),
    });
    expectClose(out.out.data, [3, 5, 4], 0);
    const floor = evaluate([{ id: 'p', op: 'maxPool1d', kernelSize: 2 }], {
      x: f32([1, 1, 5], [1, 3, 2, 5, 4]),
    });
    expectClose(floor.out.data, [3, 5], 0);
  });

  it('padding counts as -inf, not 0', () => {
    // x = -(1..9) as 3×3, k = 2, stride 1, padding 1: 4×4 windows; each takes the largest
    // real value it covers, e.g. y[0,0] = x[0,0] = -1, y[1,1] = max(-1, -2, -4, -5) = -1.
    const out = evaluate([{ id: 'p', op: 'maxPool2d', kernelSize: 2, stride: 1, padding: 1 }], {
      x: f32([1, 1, 3, 3], [-1, -2, -3, -4, -5, -6, -7, -8, -9]),
    });
    expect(out.out.shape).toEqual([1, 1, 4, 4]);
    expectClose(out.out.data, [-1, -1, -2, -3, -1, -1, -2, -3, -4, -4, -5, -6, -7, -7, -8, -9], 0);
  });

  it('dilation skips positions', () => {
    // k = 2, dilation 2 (span 3), stride 2 over [5, 1, 2, 9, 3]: windows {0, 2}, {2, 4} → [5, 3]; the 9 is never read.
    const out = evaluate([{ id: 'p', op: 'maxPool1d', kernelSize: 2, dilation: 2 }], {
      x: f32([1, 1, 5], [5, 1, 2, 9, 3]),
    });
    expectClose(out.out.data, [5, 3], 0);
  });
});

describe('avgPool', () => {
  const x = f32([1, 1, 4], [1, 2, 3, 4]);
  it('countIncludePad with ceilMode divides by the window clipped to the padded input', () => {
    // L = 4, k = 3, s = 2, p = 1, ceilMode: ⌈(4 + 2 - 3)/2⌉ + 1 = 3 windows starting at -1, 1, 3.
    //   [-1, 1]: (0 + 1 + 2)/3 = 1;  [1, 3]: (2 + 3 + 4)/3 = 3;
    //   [3, 5]: clipped to the padded input [-1, 5) → [3, 4], divisor 2: (4 + 0)/2 = 2.
    const out = evaluate(
      [{ id: 'p', op: 'avgPool1d', kernelSize: 3, stride: 2, padding: 1, ceilMode: true }],
      { x },
    );
    expectClose(out.out.data, [1, 3, 2], 0);
  });

  it('without countIncludePad divides by the real elements', () => {
    // Same windows: (1 + 2)/2 = 1.5, (2 + 3 + 4)/3 = 3, 4/1 = 4.
    const out = evaluate(
      [
        {
          id: 'p',
          op: 'avgPool1d',
          kernelSize: 3,
          stride: 2,
          padding: 1,
          ceilMode: true,
          countIncludePad: false,
        },
      ],
      { x },
    );
    expectClose(out.out.data, [1.5, 3, 4], 0);
  });

  it('2-D windows average over both dims', () => {
    // 2×4 input, k = 2: windows [[1,2],[5,6]] → 3.5 and [[3,4],[7,8]] → 5.5.
    const out = evaluate([{ id: 'p', op: 'avgPool2d', kernelSize: 2 }], {
      x: f32([1, 1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]),
    });
    expect(out.out.shape).toEqual([1, 1, 1, 2]);
    expectClose(out.out.data, [3.5, 5.5], 0);
  });
});

describe('globalAvgPool', () => {
  it('averages every spatial position and keeps the dims as 1', () => {
    // Channel 0: mean(1..4) = 2.5; channel 1: mean(10, 20, 30, 40) = 25.
    const out = evaluate([{ id: 'g', op: 'globalAvgPool' }], {
      x: f32([1, 2, 2, 2], [1, 2, 3, 4, 10, 20, 30, 40]),
    });
    expect(out.out.shape).toEqual([1, 2, 1, 1]);
    expectClose(out.out.data, [2.5, 25], 0);
  });
});
