import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

const x3 = f32([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);

describe('conv2d', () => {
  it('a 3×3 kernel of ones with padding 1 sums each neighbourhood, plus the bias', () => {
    // Input 1 2 3 / 4 5 6 / 7 8 9, zero padding 1, bias 0.5:
    //   corner (0,0): 1+2+4+5 = 12, edge (0,1): 1+2+3+4+5+6 = 21, (0,2): 2+3+5+6 = 16,
    //   (1,0): 1+2+4+5+7+8 = 27, centre: 45, (1,2): 2+3+5+6+8+9 = 33,
    //   (2,0): 4+5+7+8 = 24, (2,1): 4+…+9 = 39, (2,2): 5+6+8+9 = 28.
    const out = evaluate(
      [{ id: 'c', op: 'conv2d', inChannels: 1, outChannels: 1, kernelSize: 3, padding: 1 }],
      { x: x3 },
      { 'c.weight': new Array(9).fill(1), 'c.bias': [0.5] },
    );
    expect(out.out.shape).toEqual([1, 1, 3, 3]);
    expectClose(
      out.out.data,
      [12, 21, 16, 27, 45, 33, 24, 39, 28].map((v) => v + 0.5),
      0,
    );
  });

  it('a one-hot kernel shifts the input (cross-correlation, no flip)', () => {
    // w[0, 0] = 1 with padding 1: y[i, j] = x[i - 1, j - 1], zero where that is padding.
    const out = evaluate(
      [
        {
          id: 'c',
          op: 'conv2d',
          inChannels: 1,
          outChannels: 1,
          kernelSize: 3,
          padding: 1,
          bias: false,
        },
      ],
      { x: x3 },
      { 'c.weight': [1, 0, 0, 0, 0, 0, 0, 0, 0] },
    );
    expectClose(out.out.data, [0, 0, 0, 0, 1, 2, 0, 4, 5], 0);
  });

  it('stride 2 and dilation 2 pick every other position; "valid" pads nothing', () => {
    // 5×5 input x[i, j] = 5i + j; 2×2 kernel [[1, 0], [0, 10]], dilation 2 reads x[i, j] and
    // x[i + 2, j + 2]; stride 2, no padding: out = ⌊(5 - 2·1 - 1)/2⌋ + 1 = 2 per dim.
    //   y[a, b] = x[2a, 2b] + 10·x[2a + 2, 2b + 2]: y[0,0] = 0 + 10·12 = 120, y[0,1] = 2 + 10·14 = 142,
    //   y[1,0] = 10 + 10·22 = 230, y[1,1] = 12 + 10·24 = 252.
    const out = evaluate(
      [
        {
          id: 'c',
          op: 'conv2d',
          inChannels: 1,
          outChannels: 1,
          kernelSize: 2,
          stride: 2,
          dilation: 2,
          padding: 'valid',
          bias: false,
        },
      ],
      {
        x: f32(
          [1, 1, 5, 5],
          Array.from({ length: 25 }, (_, i) => i),
        ),
      },
      { 'c.weight': [1, 0, 0, 10] },
    );
    expect(out.out.shape).toEqual([1, 1, 2, 2]);
    expectClose(out.out.data, [120, 142, 230, 252], 0);
  });

  it('groups keep channels apart', () => {
    // groups 2, in 2, out 4, 1×1 kernels: outputs 0, 1 read channel 0 only; 2, 3 read channel 1.
    // Weights [2, 3, 5, 7]: y = [2·x0, 3·x0, 5·x1, 7·x1] with x0 = 1, x1 = 10.
    const out = evaluate(
      [
        {
          id: 'c',
          op: 'conv2d',
          inChannels: 2,
          outChannels: 4,
          kernelSize: 1,
          groups: 2,
          bias: false,
        },
      ],
      { x: f32([1, 2, 1, 1], [1, 10]) },
      { 'c.weight': [2, 3, 5, 7] },
    );
    expectClose(out.out.data, [2, 3, 50, 70], 0);
  });
});

describe('conv1d', () => {
  it('"same" with an even kernel pads the smaller half first', () => {
    // k = 2: total padding 1, 0 before and 1 after (PyTorch). Kernel [1, 10]:
    //   y[i] = x[i] + 10·x[i + 1] on x = [1, 2, 3] → [1 + 20, 2 + 30, 3 + 0] = [21, 32, 3].
    const out = evaluate(
      [
        {
          id: 'c',
          op: 'conv1d',
          inChannels: 1,
          outChannels: 1,
          kernelSize: 2,
          padding: 'same',
          bias: false,
        },
      ],
      { x: f32([1, 1, 3], [1, 2, 3]) },
      { 'c.weight': [1, 10] },
    );
    expect(out.out.shape).toEqual([1, 1, 3]);
    expectClose(out.out.data, [21, 32, 3], 0);
  });

  it('sums over input channels and adds the bias', () => {
    // 2 in channels, k = 1, weight [[1], [-1]] (one output), bias 4: y = x0 - x1 + 4.
    const out = evaluate(
      [{ id: 'c', op: 'conv1d', inChannels: 2, outChannels: 1, kernelSize: 1 }],
      { x: f32([1, 2, 2], [5, 6, 1, 2]) },
      { 'c.weight': [1, -1], 'c.bias': [4] },
    );
    expectClose(out.out.data, [8, 8], 0);
  });
});
