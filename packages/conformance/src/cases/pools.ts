// The pool families share their variants: stride, padding, ceilMode, dilation (max) and
// countIncludePad (avg), on 1-D and 2-D inputs.
import type { NodeInput } from '@tessera/spec';
import type { ConformanceCase } from '../case.js';
import { unaryCase } from './define.js';

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
  return cases;
}
