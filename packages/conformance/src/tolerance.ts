// The tolerance policy (DESIGN.md §4): an element passes when |got − want| ≤ atol + rtol·|want|.
// Defaults suit float32 backends judged against the float64 reference; a case or an expectation
// may widen them only with a written reason, and every report lists each widening.

/** An element passes when |got − want| ≤ atol + rtol·|want|. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/** The default for float32 backends against the float64 reference: atol 1e-5, rtol 1e-4. */
export const defaultTolerance: Tolerance = Object.freeze({ atol: 1e-5, rtol: 1e-4 });

/** A widening of the default tolerance; the reason is shown in every report. */
export interface ToleranceOverride {
  atol?: number;
  rtol?: number;
  reason: string;
}

/** The tolerance in force: the base, widened by each override in turn (never narrowed). */
export function resolveTolerance(
  base: Tolerance,
  ...overrides: (ToleranceOverride | undefined)[]
): Tolerance {
  let atol = base.atol;
  let rtol = base.rtol;
  for (const o of overrides) {
    if (o === undefined) continue;
    if (o.atol !== undefined) atol = Math.max(atol, o.atol);
    if (o.rtol !== undefined) rtol = Math.max(rtol, o.rtol);
  }
  return { atol, rtol };
}
