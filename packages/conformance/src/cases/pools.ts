// The pool families share their variants: stride, padding, ceilMode, dilation (max) and
// countIncludePad (avg), on 1-D and 2-D inputs.
import type { NodeInput } from '@tessera/spec';
import type { ConformanceCase, SpecialValue } from '../case.js';
import { at, defineCase, inf, nan, unaryCase, wholeRow } from './define.js';

type PoolOp = 'maxPool1d' | 'maxPool2d' | 'avgPool1d' | 'avgPool2d';

export function poolCase(
  op: PoolOp,
  name: string,
  spatial: number[],
  attrs: Record<string, unknown>,
  description?: string,
): ConformanceCase {
  return unaryCase(
    `${op}/${name}`,
    ['batch', 3, ...spatial],
    { id: 'pool', op, ...attrs } as NodeInput,
    {
      bindings: { batch: 2 },
      // Max pools over distinct values of a spread-out input, so ties cannot make the argmax ambiguous.
      inputScale: 2,
      ...(description !== undefined ? { description } : {}),
    },
  );
}

/**
 * The same pool on a symbolic length, bound to each of `lengths`: the output size (ceil mode
 * included) is then worked out at run time, not at compile time.
 */
export function symbolicLengthCases(
  op: 'maxPool1d' | 'avgPool1d',
  name: string,
  attrs: Record<string, unknown>,
  lengths = [6, 7, 10],
): ConformanceCase[] {
  return lengths.map((length) =>
    unaryCase(
      `${op}/${name}-length${length}`,
      ['batch', 2, 'length'],
      { id: 'pool', op, ...attrs } as NodeInput,
      { bindings: { batch: 2, length }, inputScale: 2 },
    ),
  );
}

export function poolVariants(op: PoolOp): ConformanceCase[] {
  const two = op.endsWith('2d');
  const size = (n: number, m = n + 1) => (two ? [n, m] : [n + m]);
  const cases = [
    poolCase(op, 'basic', size(6), { kernelSize: 2 }),
    poolCase(op, 'stride', size(7), { kernelSize: 3, stride: 2 }),
    poolCase(op, 'padding', size(7), { kernelSize: 3, stride: 2, padding: 1 }),
    poolCase(
      op,
      'ceil-mode',
      size(8),
      { kernelSize: 3, stride: 2, ceilMode: true },
      'the last window hangs over the edge',
    ),
    poolCase(op, 'ceil-mode-padding', size(7), {
      kernelSize: 3,
      stride: 2,
      padding: 1,
      ceilMode: true,
    }),
    poolCase(op, 'kernel-equals-input', size(4), { kernelSize: two ? [4, 5] : 9 }),
  ];
  if (two)
    cases.push(
      poolCase(op, 'tuple-attrs', [7, 9], { kernelSize: [2, 3], stride: [1, 2], padding: [1, 0] }),
    );
  // PyTorch drops a last ceil-mode window that would start in the right padding: with L = 5,
  // kernel 2, stride 2, padding 1, ceil((5 + 2 − 2) / 2) + 1 = 4 windows, but the 4th starts at
  // 6 ≥ L + padding.
  cases.push(
    poolCase(
      op,
      'ceil-mode-dropped-window',
      two ? [5, 7] : [5],
      { kernelSize: 2, stride: 2, padding: 1, ceilMode: true },
      'the last ceil-mode window would start in the padding, so it is dropped',
    ),
    poolCase(
      op,
      'stride-over-kernel',
      two ? [6, 8] : [6],
      { kernelSize: 2, stride: 3, ceilMode: true },
      'stride 3 > kernel 2: windows skip elements; ceil mode drops the last',
    ),
  );
  if (op.startsWith('max')) {
    cases.push(
      poolCase(op, 'dilation2', size(9), { kernelSize: 3, stride: 1, dilation: 2 }),
      poolCase(op, 'dilation-padding-ceil', size(10), {
        kernelSize: 2,
        stride: 3,
        dilation: 2,
        padding: 1,
        ceilMode: true,
      }),
    );
  } else {
    cases.push(
      poolCase(
        op,
        'exclude-pad',
        size(7),
        { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false },
        'countIncludePad false: divide by the window inside the input',
      ),
      poolCase(
        op,
        'ceil-mode-exclude-pad',
        size(6),
        { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
        'a window clipped by ceilMode and padding: divisors differ per window',
      ),
      poolCase(op, 'ceil-mode-include-pad', size(6), {
        kernelSize: 3,
        stride: 2,
        padding: 1,
        ceilMode: true,
        countIncludePad: true,
      }),
    );
  }
  cases.push(nonFinitePoolCase(op));
  return cases;
}

/**
 * A pool (kernel 3, stride 2, padding 1) over NaN and ±Inf. PyTorch's max pools propagate NaN (a
 * window holding one is NaN, whatever else it holds: max_pool1d's `val > max || isnan(val)`)
 * and count padding as −inf (a window of −inf and padding is −inf); avg pools add up the window:
 * NaN stays, +inf with −inf is NaN, one infinity alone is that infinity.
 */
export function nonFinitePoolCase(op: PoolOp): ConformanceCase {
  const two = op.endsWith('2d');
  // 1-D: [2, 3, 10]; 2-D: [2, 3, 5, 10], the same positions on row 2 (every window of that
  // row's second window-row sees them) and two on other rows.
  const p = (...i: number[]) => (two ? [i[0], i[1], 2, i[2]] : i);
  const special: SpecialValue[] = at(
    [p(0, 0, 4), nan], // NaN alone in its windows
    [p(0, 1, 2), inf], // +inf and NaN share the window over 1..3
    [p(0, 1, 3), nan],
    [p(0, 2, 0), -inf], // the first window is padding, −inf, −inf
    [p(0, 2, 1), -inf],
    [p(1, 0, 5), -inf], // −inf and +inf share the window over 5..7
    [p(1, 0, 6), inf],
    [p(1, 1, 9), nan], // the last position, in the last window only
    [p(1, 2, 4), inf],
  );
  // 2-D: a NaN in a corner, and the first window of batch 1, channel 1 all −inf and padding.
  if (two)
    special.push(
      ...at([[1, 2, 0, 0], nan], [[0, 0, 4, 9], -inf]),
      ...[0, 1].flatMap((h) => wholeRow([1, 1, h], 2, -inf)),
    );
  return defineCase(`${op}/non-finite`, {
    description: 'NaN, +inf and −inf inside windows, at the edges and next to the padding',
    inputs: { x: { shape: ['batch', 3, ...(two ? [5, 10] : [10])] } },
    nodes: [{ id: 'pool', op, kernelSize: 3, stride: 2, padding: 1 } as NodeInput],
    bindings: { batch: 2 },
    inputScale: 2,
    special: { x: special },
  });
}
