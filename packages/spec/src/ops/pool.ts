// nn.MaxPool1d/2d and nn.AvgPool1d/2d with PyTorch's output-size rule:
// out = floor_or_ceil((L + 2p - dilation·(k - 1) - 1) / stride) + 1, and with ceilMode the last
// window must start inside the input or the left padding. Padding may be at most half the kernel.
import { z } from 'zod';
import {
  defineOp,
  fail,
  float,
  type TensorInfo,
  intOrTuple,
  nodeBase,
  nonNegativeInt,
  positiveInt,
  requireRank,
  tuple,
} from './common.js';
import { windowOutput } from './conv.js';

export interface PoolAttrs {
  kernelSize: number | number[];
  stride?: number | number[] | undefined;
  padding: number | number[];
  dilation?: number | number[];
  ceilMode: boolean;
  countIncludePad?: boolean;
}

export interface PoolGeometry {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
}

/**
 * PyTorch's pooling output size along one dim: ⌊or⌈(L + 2p − d·(k − 1) − 1) / s⌉ + 1, and with
 * ceilMode the last window must start inside the input or the left padding.
 */
export function poolOutputSize(
  size: number,
  k: number,
  s: number,
  p: number,
  d: number,
  ceilMode: boolean,
): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceilMode && (out - 1) * s >= size + p) out -= 1;
  return out;
}

export function poolGeometry(a: PoolAttrs, n: number): PoolGeometry {
  const kernel = tuple(a.kernelSize, n);
  return {
    kernel,
    stride: a.stride === undefined ? kernel : tuple(a.stride, n),
    padding: tuple(a.padding, n),
    dilation: tuple(a.dilation ?? 1, n),
  };
}

function poolInfer(n: 1 | 2) {
  return (a: PoolAttrs, [x]: TensorInfo[]) => {
    requireRank(x, [n + 2], n === 1 ? 'input [N, C, L]' : 'input [N, C, H, W]');
    const g = poolGeometry(a, n);
    g.padding.forEach((p, i) => {
      if (p * 2 > g.kernel[i])
        fail(`${p} is more than half the kernel size ${g.kernel[i]}`, 'padding');
    });
    const spatial = x.shape.slice(2).map((size, i) => {
      const eff = g.dilation[i] * (g.kernel[i] - 1) + 1;
      return windowOutput(size, 2 * g.padding[i], eff, g.stride[i], a.ceilMode, g.padding[i]);
    });
    return { out: float([x.shape[0], x.shape[1], ...spatial]) };
  };
}

function windowAttrs(n: 1 | 2) {
  const t = (e: z.ZodNumber) => intOrTuple(n, e);
  return {
    kernelSize: t(positiveInt),
    stride: t(positiveInt).optional(),
    padding: t(nonNegativeInt).default(0),
    ceilMode: z.boolean().default(false),
  };
}

/** nn.MaxPool1d/2d: padded positions count as −∞. */
export function maxPoolOp<const Name extends 'maxPool1d' | 'maxPool2d'>(name: Name, n: 1 | 2) {
  return defineOp({
    op: name,
    schema: z.strictObject({
      ...nodeBase,
      op: z.literal(name),
      ...windowAttrs(n),
      dilation: intOrTuple(n, positiveInt).default(1),
    }),
    arity: [1, 1],
    infer: poolInfer(n),
  });
}

/** nn.AvgPool1d/2d: with countIncludePad the divisor counts padding inside the padded input. */
export function avgPoolOp<const Name extends 'avgPool1d' | 'avgPool2d'>(name: Name, n: 1 | 2) {
  return defineOp({
    op: name,
    schema: z.strictObject({
      ...nodeBase,
      op: z.literal(name),
      ...windowAttrs(n),
      countIncludePad: z.boolean().default(true),
    }),
    arity: [1, 1],
    infer: poolInfer(n),
  });
}
