// flatten, reshape, permute, select, slice, unflatten, mean, add, mul, scale, concat.
import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

// x[i, j, k] = 100i + 10j + k, shape [2, 3, 2]: the value names its own index.
const x = f32([2, 3, 2], [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121]);
const run = (
  node: Record<string, unknown>,
  inputs: Record<string, ReturnType<typeof f32>> = { x },
) => evaluate([{ id: 'n', ...node } as never], inputs).out;

describe('shape ops', () => {
  it('flatten and reshape keep the row-major order', () => {
    const f = run({ op: 'flatten', startDim: 1 });
    expect(f.shape).toEqual([2, 6]);
    expectClose(f.data, x.data, 0);
    const r = run({ op: 'reshape', shape: [3, -1] });
    expect(r.shape).toEqual([3, 4]);
    expectClose(r.data, x.data, 0);
  });

  it('permute moves dims: y[k, i, j] = x[i, j, k] for dims [2, 0, 1]', () => {
    const p = run({ op: 'permute', dims: [2, 0, 1] });
    expect(p.shape).toEqual([2, 2, 3]);
    // k = 0: [[0, 10, 20], [100, 110, 120]]; k = 1: the same + 1.
    expectClose(p.data, [0, 10, 20, 100, 110, 120, 1, 11, 21, 101, 111, 121], 0);
  });

  it('select with a negative index counts from the end', () => {
    const s = run({ op: 'select', dim: 1, index: -1 });
    expect(s.shape).toEqual([2, 2]);
    expectClose(s.data, [20, 21, 120, 121], 0);
    expectClose(run({ op: 'select', dim: 0, index: 1 }).data, [100, 101, 110, 111, 120, 121], 0);
  });

  it('slice keeps start:end along dim, with Python bounds', () => {
    // dim 1, 1:3 keeps j = 1, 2.
    const s = run({ op: 'slice', dim: 1, start: 1, end: 3 });
    expect(s.shape).toEqual([2, 2, 2]);
    expectClose(s.data, [10, 11, 20, 21, 110, 111, 120, 121], 0);
    // dim -1, -1:2 is 1:2 on a dim of size 2: k = 1 only.
    const k = run({ op: 'slice', dim: -1, start: -1, end: 2 });
    expect(k.shape).toEqual([2, 3, 1]);
    expectClose(k.data, [1, 11, 21, 101, 111, 121], 0);
    // -5:99 on dim 0 (size 2) clamps to 0:2, the whole tensor.
    expectClose(run({ op: 'slice', dim: 0, start: -5, end: 99 }).data, x.data, 0);
  });

  it('unflatten splits a dim, keeping the row-major order', () => {
    // [1, 6] → [1, 2, 3]: y[0, a, b] = x[0, 3a + b].
    const u = evaluate([{ id: 'n', op: 'unflatten', input: 'v', dim: 1, sizes: [2, 3] }], {
      v: f32([1, 6], [0, 1, 2, 3, 4, 5]),
    }).out;
    expect(u.shape).toEqual([1, 2, 3]);
    expectClose(u.data, [0, 1, 2, 3, 4, 5], 0);
    expect(run({ op: 'unflatten', dim: -1, sizes: [1, 2] }).shape).toEqual([2, 3, 1, 2]);
  });

  it('scale multiplies by a constant', () => {
    // -0.5 · [2, -4, 0] = [-1, 2, -0]
    const y = evaluate([{ id: 'n', op: 'scale', input: 'v', factor: -0.5 }], {
      v: f32([3], [2, -4, 0]),
    }).out;
    expect(Array.from(y.data)).toEqual([-1, 2, -0]);
  });

  it('concat lays inputs end to end along dim', () => {
    const a = f32([2, 1], [1, 2]);
    const b = f32([2, 2], [3, 4, 5, 6]);
    const c = evaluate([{ id: 'n', op: 'concat', input: ['a', 'b', 'a'], dim: -1 }], { a, b }).out;
    expect(c.shape).toEqual([2, 4]);
    expectClose(c.data, [1, 3, 4, 1, 2, 5, 6, 2], 0);
    const d = evaluate([{ id: 'n', op: 'concat', input: ['b', 'b'], dim: 0 }], { b }).out;
    expectClose(d.data, [3, 4, 5, 6, 3, 4, 5, 6], 0);
  });
});

describe('mean', () => {
  it('over one dim, and over several with keepdim', () => {
    // dim 1: mean over j of 100i + 10j + k = 100i + 10 + k.
    const m = run({ op: 'mean', dim: 1 });
    expect(m.shape).toEqual([2, 2]);
    expectClose(m.data, [10, 11, 110, 111], 0);
    // dims [0, 2]: mean over i and k = 50 + 10j + 0.5.
    const k = run({ op: 'mean', dim: [0, -1], keepdim: true });
    expect(k.shape).toEqual([1, 3, 1]);
    expectClose(k.data, [50.5, 60.5, 70.5], 1e-13);
  });
});

describe('add and mul broadcast', () => {
  it('[2, 1] with [3] gives [2, 3]', () => {
    const a = f32([2, 1], [1, 2]);
    const b = f32([3], [10, 20, 30]);
    const sum = evaluate([{ id: 'n', op: 'add', input: ['a', 'b'] }], { a, b }).out;
    expect(sum.shape).toEqual([2, 3]);
    expectClose(sum.data, [11, 21, 31, 12, 22, 32], 0);
    const prod = evaluate([{ id: 'n', op: 'mul', input: ['b', 'a'] }], { a, b }).out;
    expectClose(prod.data, [10, 20, 30, 20, 40, 60], 0);
  });

  it('equal shapes add elementwise; a [1] scalar stretches everywhere', () => {
    const s = f32([1], [0.5]);
    const y = evaluate([{ id: 'n', op: 'mul', input: ['x', 's'] }], { x, s }).out;
    expectClose(
      y.data,
      Array.from(x.data, (v) => v * 0.5),
      0,
    );
    const z = evaluate([{ id: 'n', op: 'add', input: ['x', 'x'] }], { x }).out;
    expectClose(
      z.data,
      Array.from(x.data, (v) => 2 * v),
      0,
    );
  });
});
