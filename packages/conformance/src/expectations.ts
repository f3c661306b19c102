// The one place that lists what each backend variant is known to get wrong, with a reason.
// A listed cell that fails (or errors) is reported `expected-fail` and does not fail the run; a
// listed cell that passes is reported `unexpected-pass`, so a stale entry is noticed and removed.
// An entry with a `tolerance` instead widens the tolerance for that backend and case (a float16
// GPU path, say); the cell is then judged normally and the widening is listed in every report.
import type { ToleranceOverride } from './tolerance.js';

export interface Expectation {
  /** A case id, or a prefix ending in `*` (`lstm/*`, `preset/*`). */
  case: string;
  /** Why: the backend's limitation or bug, ideally with a link or an issue number. */
  reason: string;
  /** Widen the tolerance for this backend instead of expecting a failure. */
  tolerance?: Omit<ToleranceOverride, 'reason'>;
}

/**
 * Per backend label (`'gpujs:cpu'`, `'ort:node'`; a label may end in `*`, as `'tfjs:*'`), the
 * cases it is expected to fail.
 */
export type Expectations = Record<string, Expectation[]>;

export const expectations: Expectations = {};

function globMatch(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value;
}

/** The entries that apply to a backend label and a case id, in the order they are listed. */
export function findExpectations(list: Expectations, label: string, caseId: string): Expectation[] {
  const out: Expectation[] = [];
  for (const [pattern, entries] of Object.entries(list)) {
    if (!globMatch(pattern, label)) continue;
    for (const e of entries) if (globMatch(e.case, caseId)) out.push(e);
  }
  return out;
}

/** The expected failure for a cell, if one is listed (entries that only widen a tolerance do not count). */
export function expectedFailure(
  list: Expectations,
  label: string,
  caseId: string,
): Expectation | undefined {
  return findExpectations(list, label, caseId).find((e) => e.tolerance === undefined);
}

/** The tolerance widenings listed for a cell, with their reasons. */
export function toleranceExpectations(
  list: Expectations,
  label: string,
  caseId: string,
): ToleranceOverride[] {
  return findExpectations(list, label, caseId)
    .filter((e) => e.tolerance !== undefined)
    .map((e) => ({ ...e.tolerance, reason: e.reason }));
}
