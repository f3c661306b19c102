// The pools map onto MaxPool / AveragePool. PyTorch's ceil_mode (the last window must start
// inside the input or the left padding) is lowered, when the spatial size is known, to
// ceil_mode=0 with `extra` padding at the end: extra = max(0, (out - 1)·s + dilation·(k - 1) + 1
// - (L + 2p)). MaxPool ignores padded cells, so that is exact; ORT-web's shape inference gets
// dilated ceil-mode pools wrong, so this also keeps it out of the way. For AveragePool the
// divisor must be PyTorch's: the window clipped to the input (countIncludePad=false), or clipped
// to input + padding (countIncludePad=true), which an explicit zero Pad followed by
// count_include_pad=0 gives exactly.

import { poolGeometry } from '@tessera/spec';
import { type Attr, elemType, type GraphBuilder, int, ints } from '../graph-builder.js';
import type { Emitter } from './types.js';

type PoolOp = 'maxPool1d' | 'maxPool2d' | 'avgPool1d' | 'avgPool2d';

export function poolKernel(n: 1 | 2, kind: 'max' | 'avg'): Emitter<PoolOp> {
  return ({ b, inputs: [x], hint, node, inShapes, out }) => {
    const g = poolGeometry(node as Parameters<typeof poolGeometry>[0], n);
    const spatial = inShapes[0].shape.slice(2);
    const lowerCeil = node.ceilMode && spatial.every((d) => typeof d === 'number');
    const extra = g.kernel.map((k, i) => {
      if (!lowerCeil) return 0;
      const eff = g.dilation[i] * (k - 1) + 1;
      return Math.max(
        0,
        ((out.shape[2 + i] as number) - 1) * g.stride[i] +
          eff -
          ((spatial[i] as number) + 2 * g.padding[i]),
      );
    });
    const base = {
      kernel_shape: ints(g.kernel),
      strides: ints(g.stride),
      ceil_mode: int(node.ceilMode && !lowerCeil ? 1 : 0),
    };
    const end = g.padding.map((p, i) => p + extra[i]);
    // ORT wants every pad smaller than the kernel; beyond that the padding becomes a Pad node.
    const fits = (pads: number[]) => pads.every((p, i) => p < g.kernel[i]);
    const padNode = (begin: number[], endPads: number[], value: number) => {
      const pads = b.i64([0, 0, ...begin, 0, 0, ...endPads]);
      return b.op1(
        'Pad',
        [x, pads, b.floatInit(`${hint}_pad_value`, [], Float32Array.of(value))],
        `${hint}_pad`,
      );
    };
    const none = g.padding.map(() => 0);
    if (kind === 'max') {
      const dilated = g.dilation.some((d) => d !== 1);
      if (fits(g.padding) && fits(end))
        return maxPoolAsTorch(
          b,
          x,
          hint,
          { ...base, pads: ints([...g.padding, ...end]), dilations: ints(g.dilation) },
          dilated,
        );
      const padded = padNode(g.padding, end, Number.NEGATIVE_INFINITY);
      return maxPoolAsTorch(
        b,
        padded,
        hint,
        { ...base, pads: ints([...none, ...none]), dilations: ints(g.dilation) },
        dilated,
      );
    }
    const countIncludePad = (node as { countIncludePad?: boolean }).countIncludePad === true;
    const anyExtra = extra.some((e) => e > 0);
    if (countIncludePad && anyExtra && g.padding.some((p) => p > 0) && fits(extra)) {
      const padded = padNode(g.padding, g.padding, 0);
      return b.op1('AveragePool', [padded], hint, {
        ...base,
        pads: ints([...none, ...extra]),
        count_include_pad: int(0),
      });
    }
    if (fits(end)) {
      return b.op1('AveragePool', [x], hint, {
        ...base,
        pads: ints([...g.padding, ...end]),
        count_include_pad: int(countIncludePad && !anyExtra ? 1 : 0),
      });
    }
    // Not expressible with pads < kernel: leave ceil mode to ORT.
    return b.op1('AveragePool', [x], hint, {
      ...base,
      ceil_mode: int(1),
      pads: ints([...g.padding, ...g.padding]),
      count_include_pad: int(countIncludePad ? 1 : 0),
    });
  };
}

/**
 * MaxPool with PyTorch's answers for non-finite windows: a window holding NaN gives NaN, and one
 * of −inf only (padding aside) gives −inf. ORT's MaxPool drops NaN (it keeps the max of the other
 * values) and gives −FLT_MAX (−3.4e38) for a window of −inf. Undilated pools (every preset's):
 *   y = MaxPool(x) + AveragePool(Clip(x, −1, 1) · 0)     (NaN in the window, else +0)
 *   y = y == −FLT_MAX ? −inf : y
 * Clip keeps NaN and bounds ±inf (so 0 · Clip is 0 for every other value), and AveragePool
 * (count_include_pad 0) sums its window, so NaN anywhere in it comes through. Measured on
 * cnnClassifier batch 64 (two 2×2 pools), ort:node, one thread: CPU time 0.88–0.92× the graph
 * without it, i.e. no cost this machine can see. The one value it gets wrong: a window whose largest value is exactly −FLT_MAX comes out
 * −inf. Dilated pools (AveragePool has no dilations below opset 19) take the exact form,
 * maxPoolCoded, which costs one more MaxPool and about ten passes over x (1.8× the cnnClassifier
 * pass when it was the only form).
 */
function maxPoolAsTorch(
  b: GraphBuilder,
  x: string,
  hint: string,
  attrs: Record<string, Attr>,
  dilated: boolean,
) {
  if (dilated) return maxPoolCoded(b, x, hint, attrs);
  const constant = (name: string, v: number) =>
    b.floatInit(`${hint}_${name}`, [], Float32Array.of(v));
  const pooled = b.op1('MaxPool', [x], `${hint}_max`, attrs);
  const bounded = b.op1('Clip', [x, constant('lo', -1), constant('hi', 1)], `${hint}_bounded`);
  const nanOrZero = b.op1('Mul', [bounded, constant('zero', 0)], `${hint}_nan_or_zero`);
  const { ceil_mode, kernel_shape, strides, pads } = attrs;
  const windowNaN = b.op1('AveragePool', [nanOrZero], `${hint}_window_nan`, {
    ceil_mode,
    kernel_shape,
    strides,
    pads,
  });
  const withNaN = b.op1('Add', [pooled, windowNaN], `${hint}_with_nan`);
  const lowest = b.op1(
    'Equal',
    [withNaN, constant('lowest', -3.4028234663852886e38)],
    `${hint}_lowest`,
  );
  return b.op1('Where', [lowest, constant('neg_inf', Number.NEGATIVE_INFINITY), withNaN], hint);
}

/**
 * maxPoolAsTorch's exact form, for any pool: one more MaxPool, over a code per cell, says which
 * windows hold NaN or only −inf:
 *   code = 2·isnan(x) + (x > −inf)    (NaN compares false: 2; finite or +inf: 1; −inf: 0)
 *   m    = MaxPool(code)              (2: the window holds NaN; 0: it holds only −inf)
 *   y    = m > 1.5 ? NaN : m < 0.5 ? −inf : MaxPool(x)
 * Padded cells are skipped by MaxPool, or are −inf (code 0) in an explicit Pad, as in PyTorch.
 */
function maxPoolCoded(b: GraphBuilder, x: string, hint: string, attrs: Record<string, Attr>) {
  const pooled = b.op1('MaxPool', [x], `${hint}_max`, attrs);
  const float32 = { to: int(elemType('float32')) };
  const constant = (name: string, v: number) =>
    b.floatInit(`${hint}_${name}`, [], Float32Array.of(v));
  const negInf = constant('neg_inf', Number.NEGATIVE_INFINITY);
  const nanCells = b.op1(
    'Cast',
    [b.op1('IsNaN', [x], `${hint}_isnan`)],
    `${hint}_nan_cells`,
    float32,
  );
  const above = b.op1(
    'Cast',
    [b.op1('Greater', [x, negInf], `${hint}_above_neg_inf`)],
    `${hint}_finite_cells`,
    float32,
  );
  const code = b.op1('Sum', [nanCells, nanCells, above], `${hint}_code`);
  const m = b.op1('MaxPool', [code], `${hint}_window_code`, attrs);
  const onlyNegInf = b.op1('Less', [m, constant('half', 0.5)], `${hint}_only_neg_inf`);
  const hasNaN = b.op1('Greater', [m, constant('one_and_half', 1.5)], `${hint}_has_nan`);
  const kept = b.op1('Where', [onlyNegInf, negInf, pooled], `${hint}_neg_inf_kept`);
  return b.op1('Where', [hasNaN, constant('nan', Number.NaN), kept], hint);
}
