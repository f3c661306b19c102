// Element-wise comparison of a backend's output against the float64 reference.
import type { DType, Tensor } from '@tessera/spec';
import type { Tolerance } from './tolerance.js';

/** A reference output: float64 values in row-major order. */
export interface Float64Output {
  shape: number[];
  data: Float64Array;
  /** The dtype the spec gives the output; a backend's must match it. Not checked when absent. */
  dtype?: DType;
}

/**
 * How one output compares with the reference's: the largest errors and the element furthest outside
 * the tolerance.
 */
export interface Comparison {
  ok: boolean;
  /** Why it failed when not element-wise (shape or dtype mismatch); absent otherwise. */
  reason?: string;
  /** max |got − want| over elements (Infinity when a non-finite value disagrees). */
  maxAbsError: number;
  /** max |got − want| / |want| over elements with want ≠ 0. */
  maxRelError: number;
  /** Elements outside the tolerance. */
  mismatches: number;
  /**
   * Flat row-major index of the element furthest outside the tolerance, measured as
   * |got − want| / (atol + rtol·|want|); -1 when there are no elements or shapes differ.
   */
  worstIndex: number;
  /** The multi-dimensional form of worstIndex. */
  worstPosition: number[];
  /** |got − want| / (atol + rtol·|want|) at the worst element: above 1 fails. */
  worstRatio: number;
  got: number;
  want: number;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Row-major multi-index of a flat index. */
export function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = rest % shape[i];
    rest = Math.floor(rest / shape[i]);
  }
  return out;
}

/** An int32 output is exact: ids and positions are not approximations. */
const exact: Tolerance = { atol: 0, rtol: 0 };

/**
 * Compares element-wise: pass when |got − want| ≤ atol + rtol·|want|. Where want is finite, a NaN
 * or ±Inf in got always fails. Where want is not finite (a reference NaN or ±Inf), got must be
 * the same non-finite value. A shape or dtype mismatch fails without comparing elements; int32
 * outputs must agree exactly, whatever `tol`.
 */
export function compareTensors(got: Tensor, want: Float64Output, tol: Tolerance): Comparison {
  const empty = {
    maxAbsError: 0,
    maxRelError: 0,
    mismatches: 0,
    worstIndex: -1,
    worstPosition: [],
    worstRatio: 0,
    got: Number.NaN,
    want: Number.NaN,
  };
  if (!sameShape(got.shape, want.shape)) {
    return {
      ...empty,
      ok: false,
      maxAbsError: Number.POSITIVE_INFINITY,
      worstRatio: Number.POSITIVE_INFINITY,
      reason: `shape [${got.shape.join(', ')}], expected [${want.shape.join(', ')}]`,
    };
  }
  if (want.dtype !== undefined && got.dtype !== want.dtype) {
    return {
      ...empty,
      ok: false,
      maxAbsError: Number.POSITIVE_INFINITY,
      worstRatio: Number.POSITIVE_INFINITY,
      reason: `dtype ${got.dtype}, expected ${want.dtype}`,
    };
  }
  if (got.data.length !== want.data.length) {
    return {
      ...empty,
      ok: false,
      maxAbsError: Number.POSITIVE_INFINITY,
      worstRatio: Number.POSITIVE_INFINITY,
      reason: `holds ${got.data.length} values, its shape needs ${want.data.length}`,
    };
  }
  const bounds = want.dtype === 'int32' ? exact : tol;
  let maxAbs = 0;
  let maxRel = 0;
  let mismatches = 0;
  let worst = -1;
  let worstScore = -1;
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i];
    const w = want.data[i];
    let score: number;
    if (!Number.isFinite(w)) {
      // Same non-finite value (NaN with NaN, +Inf with +Inf) agrees; anything else is infinitely off.
      const agree = Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w));
      score = agree ? 0 : Number.POSITIVE_INFINITY;
      if (!agree) maxAbs = Number.POSITIVE_INFINITY;
    } else if (!Number.isFinite(g)) {
      score = Number.POSITIVE_INFINITY;
      maxAbs = Number.POSITIVE_INFINITY;
      if (w !== 0) maxRel = Number.POSITIVE_INFINITY;
    } else {
      const diff = Math.abs(g - w);
      const bound = bounds.atol + bounds.rtol * Math.abs(w);
      // With a zero bound (atol = rtol = 0) only exact agreement passes.
      score = bound > 0 ? diff / bound : diff === 0 ? 0 : Number.POSITIVE_INFINITY;
      if (diff > maxAbs) maxAbs = diff;
      if (w !== 0 && diff / Math.abs(w) > maxRel) maxRel = diff / Math.abs(w);
    }
    if (score > 1) mismatches++;
    if (score > worstScore) {
      worstScore = score;
      worst = i;
    }
  }
  return {
    ok: mismatches === 0,
    maxAbsError: maxAbs,
    maxRelError: maxRel,
    mismatches,
    worstIndex: worst,
    worstPosition: worst < 0 ? [] : unravel(worst, want.shape),
    worstRatio: Math.max(worstScore, 0),
    got: worst < 0 ? Number.NaN : got.data[worst],
    want: worst < 0 ? Number.NaN : want.data[worst],
  };
}
