// Row reductions shared by softmax, the norms and mean: one thread per row of a tensor seen as
// [outer, size, inner], reducing along `size` with a loop of constant bound.
import { lit, MINUS_HUGE } from './source.js';
import type { Arg, KernelContext, Num, Value } from './types.js';

export interface RowReduction {
  /** Initial accumulator `s`. */
  init: string;
  /** Folds the element `v` into `s`; the row's index is `i`, extra arguments are a1, a2, .... */
  step: string;
  /** Returns the row's value from `s`. */
  finish: string;
}

/** Reduces x, viewed as [outer, size, inner], along `size`: output [outer · inner]. */
export function reduceRows(
  ctx: KernelContext,
  x: Value,
  [outer, size, inner]: [number, number, number],
  r: RowReduction,
  extra: Arg[] = [],
): Value {
  // Shape numbers through n: softmax over a decoder's growing cache reduces a growing row.
  return ctx.run(
    [outer * inner],
    [x, ...extra],
    (n) => `const o = Math.floor(i / ${n(inner)});
const base = o * ${n(size * inner)} + (i - o * ${n(inner)});
let s = ${r.init};
for (let k = 0; k < ${n(size)}; k++) {
const v = a0[base + k * ${n(inner)}];
${r.step}
}
${r.finish}`,
  );
}

/** Source declaring `row`, the index into a reduction's output, for element `i` of [outer, size, inner]. */
export function rowOf(size: number, inner: number, n: Num = lit): string {
  return inner === 1
    ? `const row = Math.floor(i / ${n(size)});`
    : `const row = Math.floor(i / ${n(size * inner)}) * ${n(inner)} + i % ${n(inner)};`;
}

/** Row max and Σ exp(v - max): the two stable statistics of softmax and logSoftmax. */
export function softmaxStats(
  ctx: KernelContext,
  x: Value,
  split: [number, number, number],
): [Value, Value] {
  const max = reduceRows(ctx, x, split, {
    init: MINUS_HUGE,
    step: 's = Math.max(s, v);',
    finish: 'return s;',
  });
  const sum = reduceRows(
    ctx,
    x,
    split,
    { init: '0', step: 's += Math.exp(v - a1[i]);', finish: 'return s;' },
    [max],
  );
  return [max, sum];
}
