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

/** The attributes max and average pooling share. */
export interface PoolAttrs {
  kernelSize: number | number[];
  stride?: number | number[] | undefined;
  padding: number | number[];
  dilation?: number | number[];
  ceilMode: boolean;
  countIncludePad?: boolean;
}

/** A pool's window per spatial dim: kernel, stride (the kernel when left out), padding and dilation. */
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

/** The window of a pool node over `n` spatial dims, every attribute as one number per dim. */
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

/** The attributes max and average pooling share; `torchName` is PyTorch's name, for the descriptions. */
function windowAttrs(n: 1 | 2, torchName: string) {
  const t = (e: z.ZodNumber) => intOrTuple(n, e);
  const each = n === 1 ? '' : ' (a number, or [height, width])';
  return {
    kernelSize: t(positiveInt).describe(
      `\`kernel_size\` of ${torchName}: the window's size${each}`,
    ),
    stride: t(positiveInt)
      .optional()
      .describe(
        `\`stride\` of ${torchName}: the step between windows${each}; the kernel size when left out, as in PyTorch`,
      ),
    padding: t(nonNegativeInt)
      .default(0)
      .describe(
        `\`padding\` of ${torchName}: added to each side of the input${each}, at most half the kernel`,
      ),
    ceilMode: z
      .boolean()
      .default(false)
      .describe(
        `\`ceil_mode\` of ${torchName}: rounds the output size up, keeping a last partial window that starts inside the input or the left padding`,
      ),
  };
}

const layout = (n: 1 | 2) => (n === 1 ? '[N, C, L]' : '[N, C, H, W]');

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
      op: z
        .literal(name)
        .describe(
          `nn.MaxPool${n}d over ${layout(n)}: the largest value of each window, padding as −∞`,
        ),
      ...windowAttrs(n, `nn.MaxPool${n}d`),
      dilation: intOrTuple(n, positiveInt)
        .default(1)
        .describe(
          `\`dilation\` of nn.MaxPool${n}d: the spacing between the window's taps; 1 is dense`,
        ),
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
      op: z
        .literal(name)
        .describe(`nn.AvgPool${n}d over ${layout(n)}: the mean of each window, padding as zeros`),
      ...windowAttrs(n, `nn.AvgPool${n}d`),
      countIncludePad: z
        .boolean()
        .default(true)
        .describe(
          `\`count_include_pad\` of nn.AvgPool${n}d: divides by the window's positions in the padded input, padding included; false counts the input's positions only`,
        ),
    }),
    arity: [1, 1],
    infer: poolInfer(n),
    flops: (a, shapes) => poolFlops(a, shapes, n),
    fuzz: (d, x) => poolFuzz(d, x, n, 'avg'),
    examples,
  });
}
