// nn.MaxPool1d/2d and nn.AvgPool1d/2d with PyTorch's output-size rule (window.ts), padding
// 2p in all: out = floor_or_ceil((L + 2p - dilation·(k - 1) - 1) / stride) + 1. Padding may be
// at most half the kernel.
import { z } from 'zod';
import {
  count,
  defineOp,
  type FuzzDraw,
  type Fuzzed,
  fail,
  float,
  intOrTuple,
  nodeBase,
  nonNegativeInt,
  type OpExample,
  positiveInt,
  requireRank,
  type TensorInfo,
  tuple,
} from './common.js';
import { windowOutput } from './window.js';

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

/** PyTorch's pooling output size along one dim (the window rule with padding p on each side). */
export function poolOutputSize(
  size: number,
  k: number,
  s: number,
  p: number,
  d: number,
  ceilMode: boolean,
): number {
  return windowOutput(size, 2 * p, d * (k - 1) + 1, s, ceilMode, p);
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

/** One comparison or addition per window tap and output element. */
function poolFlops(a: PoolAttrs, { out }: { out: number[] }, n: 1 | 2): number {
  return count(out) * count(tuple(a.kernelSize, n));
}

/** Kernel, stride and padding that fit x's spatial dims (at most half the kernel as padding). */
function poolFuzz(d: FuzzDraw, x: number[], n: 1 | 2, kind: 'max' | 'avg'): Fuzzed | undefined {
  if (x.length !== n + 2) return undefined;
  const spatial = x.slice(2);
  const ceilMode = d.bool();
  const dilation = kind === 'max' ? d.int(1, 2) : 1;
  // Kernels whose dilated extent fits the unpadded input.
  const kernel = spatial.map((s) =>
    d.int(1, Math.max(1, Math.min(3, Math.floor((s - 1) / dilation) + 1))),
  );
  const stride = d.int(1, 3);
  const padding = d.int(0, Math.floor(Math.min(...kernel) / 2));
  const extra = kind === 'max' ? { dilation } : { countIncludePad: d.bool() };
  return {
    attrs: { kernelSize: n === 1 ? kernel[0] : kernel, stride, padding, ceilMode, ...extra },
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
export function maxPoolOp<const Name extends 'maxPool1d' | 'maxPool2d'>(
  name: Name,
  n: 1 | 2,
  examples: readonly OpExample[],
) {
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
    flops: (a, shapes) => poolFlops(a, shapes, n),
    fuzz: (d, x) => poolFuzz(d, x, n, 'max'),
    examples,
  });
}

/** nn.AvgPool1d/2d: with countIncludePad the divisor counts padding inside the padded input. */
export function avgPoolOp<const Name extends 'avgPool1d' | 'avgPool2d'>(
  name: Name,
  n: 1 | 2,
  examples: readonly OpExample[],
) {
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
    flops: (a, shapes) => poolFlops(a, shapes, n),
    fuzz: (d, x) => poolFuzz(d, x, n, 'avg'),
    examples,
  });
}
