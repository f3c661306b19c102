// Plain-text rendering shared by the commands: aligned tables and short tensor previews.
import type { Tensor } from '@tessera/spec';

/** Left-aligned columns, except those listed in `right` (numbers read better right-aligned). */
export function table(header: string[], rows: string[][], right: number[] = []): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** 12345678 → "12,345,678". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A number in at most ~7 characters of precision, as a person scanning output wants it. */
export function num(x: number): string {
  if (Number.isInteger(x)) return String(x);
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toFixed(4);
}

/** `[0.1234, -0.5, …]` with the first `n` values and summary statistics. */
export function preview(t: Tensor, n = 6): string {
  const head = Array.from(t.data.subarray(0, n), num).join(', ');
  const more = t.data.length > n ? ', …' : '';
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const v of t.data) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const stats =
    t.data.length === 0 ? '' : `  min ${num(min)} max ${num(max)} mean ${num(sum / t.data.length)}`;
  return `[${head}${more}]${stats}`;
}

export function shape(s: readonly (number | string)[]): string {
  return `[${s.join(', ')}]`;
}
