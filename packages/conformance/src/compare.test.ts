import { describe, expect, it } from 'vitest';
import { compareTensors, unravel } from './compare.js';
import { defaultTolerance } from './tolerance.js';

const f32 = (shape: number[], values: number[]) => ({
  dtype: 'float32' as const,
  shape,
  data: Float32Array.from(values),
});
const f64 = (shape: number[], values: number[]) => ({ shape, data: Float64Array.from(values) });

describe('compareTensors', () => {
  it('passes equal tensors with zero error', () => {
    const r = compareTensors(
      f32([2, 2], [1, -2, 0.5, 0]),
      f64([2, 2], [1, -2, 0.5, 0]),
      defaultTolerance,
    );
    expect(r.ok).toBe(true);
    expect(r.maxAbsError).toBe(0);
    expect(r.mismatches).toBe(0);
  });

  it('fails a shape mismatch even when the values agree', () => {
    const r = compareTensors(f32([4], [1, 2, 3, 4]), f64([2, 2], [1, 2, 3, 4]), defaultTolerance);
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('shape [4], expected [2, 2]');
  });

  it('fails a data length that does not match the shape', () => {
    const r = compareTensors(
      { dtype: 'float32', shape: [2], data: new Float32Array(3) },
      f64([2], [0, 0]),
      defaultTolerance,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/holds 3 values/);
  });

  it('fails NaN and ±Inf where the reference is finite, and names the element', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const r = compareTensors(f32([3], [1, bad, 3]), f64([3], [1, 2, 3]), defaultTolerance);
      expect(r.ok).toBe(false);
      expect(r.worstIndex).toBe(1);
      expect(r.maxAbsError).toBe(Number.POSITIVE_INFINITY);
      expect(Number.isNaN(r.got) || !Number.isFinite(r.got)).toBe(true);
    }
  });

  it('accepts the same non-finite value as the reference, and nothing else there', () => {
    expect(
      compareTensors(
        f32([2], [Number.NaN, Number.NEGATIVE_INFINITY]),
        f64([2], [Number.NaN, Number.NEGATIVE_INFINITY]),
        defaultTolerance,
      ).ok,
    ).toBe(true);
    expect(
      compareTensors(
        f32([1], [Number.POSITIVE_INFINITY]),
        f64([1], [Number.NEGATIVE_INFINITY]),
        defaultTolerance,
      ).ok,
    ).toBe(false);
    expect(
      compareTensors(f32([1], [1e30]), f64([1], [Number.POSITIVE_INFINITY]), defaultTolerance).ok,
    ).toBe(false);
  });

  it('holds the boundary |got − want| ≤ atol + rtol·|want|', () => {
    // Float64 "got" values (via a Float64Array-backed tensor) so the boundary is not blurred by float32 rounding.
    const tol = { atol: 0.5, rtol: 0.25 };
    const got = (v: number) => ({
      dtype: 'float32' as const,
      shape: [1],
      data: Float64Array.of(v) as unknown as Float32Array,
    });
    // want 2: bound = 0.5 + 0.25·2 = 1.
    expect(compareTensors(got(3), f64([1], [2]), tol).ok).toBe(true);
    expect(compareTensors(got(1), f64([1], [2]), tol).ok).toBe(true);
    expect(compareTensors(got(3.0000001), f64([1], [2]), tol).ok).toBe(false);
    // want -2 scales by |want|.
    expect(compareTensors(got(-3), f64([1], [-2]), tol).ok).toBe(true);
    expect(compareTensors(got(-3.01), f64([1], [-2]), tol).ok).toBe(false);
  });

  it('uses the default tolerance of atol 1e-5 and rtol 1e-4', () => {
    expect(defaultTolerance).toEqual({ atol: 1e-5, rtol: 1e-4 });
    // want 0: only atol counts.
    expect(compareTensors(f32([1], [0.9e-5]), f64([1], [0]), defaultTolerance).ok).toBe(true);
    expect(compareTensors(f32([1], [1.1e-5]), f64([1], [0]), defaultTolerance).ok).toBe(false);
    // want 100: bound 1e-5 + 1e-2.
    expect(compareTensors(f32([1], [100.009]), f64([1], [100]), defaultTolerance).ok).toBe(true);
    expect(compareTensors(f32([1], [100.011]), f64([1], [100]), defaultTolerance).ok).toBe(false);
  });

  it('reports the element furthest outside the tolerance, with errors and position', () => {
    // Element 1 is off by 0.1 at want 10 (ratio ≈ 0.1/1.00001e-3 ≈ 100), element 4 by 0.01 at want 0 (ratio 1000).
    const r = compareTensors(
      f32([2, 3], [0, 10.1, 0, 0, 0.01, 0]),
      f64([2, 3], [0, 10, 0, 0, 0, 0]),
      defaultTolerance,
    );
    expect(r.ok).toBe(false);
    expect(r.mismatches).toBe(2);
    expect(r.worstIndex).toBe(4);
    expect(r.worstPosition).toEqual([1, 1]);
    expect(r.got).toBeCloseTo(0.01, 6);
    expect(r.want).toBe(0);
    expect(r.maxAbsError).toBeCloseTo(0.1, 5);
    expect(r.maxRelError).toBeCloseTo(0.01, 5);
    expect(r.worstRatio).toBeGreaterThan(900);
  });

  it('compares int32 outputs too', () => {
    expect(
      compareTensors(
        { dtype: 'int32', shape: [2], data: Int32Array.of(3, 4) },
        f64([2], [3, 4]),
        defaultTolerance,
      ).ok,
    ).toBe(true);
  });

  it('checks the dtype the spec gives an output, and holds int32 outputs to exact values', () => {
    const ids = { shape: [2], data: Float64Array.of(33554431, 16777217), dtype: 'int32' as const };
    const exact = compareTensors(
      { dtype: 'int32', shape: [2], data: Int32Array.of(33554431, 16777217) },
      ids,
      defaultTolerance,
    );
    expect(exact.ok).toBe(true);
    // The float32 round trip of the same ids: within rtol 1e-4, but not the ids.
    const viaFloat32 = compareTensors(
      { dtype: 'int32', shape: [2], data: Int32Array.of(33554432, 16777216) },
      ids,
      defaultTolerance,
    );
    expect(viaFloat32.ok).toBe(false);
    expect(viaFloat32.mismatches).toBe(2);
    const asFloat = compareTensors(
      { dtype: 'float32', shape: [2], data: Float32Array.of(33554431, 16777217) },
      ids,
      defaultTolerance,
    );
    expect(asFloat.ok).toBe(false);
    expect(asFloat.reason).toBe('dtype float32, expected int32');
    // A float32 output given as int32 fails too.
    const r = compareTensors(
      { dtype: 'int32', shape: [1], data: Int32Array.of(1) },
      { ...f64([1], [1]), dtype: 'float32' },
      defaultTolerance,
    );
    expect(r.reason).toBe('dtype int32, expected float32');
  });

  it('unravels row-major indices', () => {
    expect(unravel(0, [2, 3, 4])).toEqual([0, 0, 0]);
    expect(unravel(23, [2, 3, 4])).toEqual([1, 2, 3]);
    expect(unravel(13, [2, 3, 4])).toEqual([1, 0, 1]);
  });
});
