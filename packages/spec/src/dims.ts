// Dimensions: a number when known, a string when symbolic. A symbolic dimension is either a name
// bound when the model runs (`batch`, `time`) or, after arithmetic, an expression kept for display.
// Whenever bindings are given, shape inference starts from numbers and never sees an expression.

/**
 * A dimension: its size when known, else a symbol bound at run time (`batch`) or an expression of
 * one.
 */
export type Dim = number | string;

export function isKnown(d: Dim): d is number {
  return typeof d === 'number';
}

function wrap(d: Dim): string {
  return typeof d === 'number' || /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) ? String(d) : `(${d})`;
}

export function dimAdd(d: Dim, delta: number): Dim {
  if (typeof d === 'number') return d + delta;
  if (delta === 0) return d;
  return `${wrap(d)} ${delta > 0 ? '+' : '-'} ${Math.abs(delta)}`;
}

/** The sum of two dims (a cache's past positions and the new ones). */
export function dimSum(a: Dim, b: Dim): Dim {
  if (typeof b === 'number') return dimAdd(a, b);
  if (typeof a === 'number') return dimAdd(b, a);
  return `${wrap(a)} + ${wrap(b)}`;
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 1) return b;
  if (b === 1) return a;
  return `${wrap(a)}*${wrap(b)}`;
}

/** floor(d / k) or ceil(d / k) for a positive integer k. */
export function dimDiv(d: Dim, k: number, mode: 'floor' | 'ceil'): Dim {
  if (typeof d === 'number') return mode === 'floor' ? Math.floor(d / k) : Math.ceil(d / k);
  if (k === 1) return d;
  return `${mode}(${wrap(d)}/${k})`;
}

export function dimEquals(a: Dim, b: Dim): boolean {
  return a === b;
}

/** True when two dims could be equal once bound (unknown on either side counts as maybe). */
export function dimCompatible(a: Dim, b: Dim): boolean {
  return typeof a !== 'number' || typeof b !== 'number' || a === b;
}

/** A shape as error messages print it: `[batch, 16, time + 1]`. */
export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`;
}
