// nn.Conv1d / nn.Conv2d over [N, C, L] / [N, C, H, W]; weight [out, in/groups, k...].
// Output size per spatial dim: floor((L + padL + padR - dilation·(k - 1) - 1) / stride) + 1.
// "same" pads dilation·(k-1) in total, the smaller half first (PyTorch), and needs stride 1.
import { z } from 'zod';
import { dimAdd, dimDiv, type Dim } from '../dims.js';
import {
  defineOp,
  fail,
  float,
  intOrTuple,
  nodeBase,
  nonNegativeInt,
  positiveInt,
  requireDim,
  requireRank,
  tuple,
  uniform,
  type WeightDecl,
} from './common.js';

export interface ConvAttrs {
  inChannels: number;
  outChannels: number;
  kernelSize: number | number[];
  stride: number | number[];
  padding: number | number[] | 'same' | 'valid';
  dilation: number | number[];
  groups: number;
  bias: boolean;
}

export interface ConvGeometry {
  kernel: number[];
  stride: number[];
  dilation: number[];
  /** Padding before and after, per spatial dim. */
  padBegin: number[];
  padEnd: number[];
}

export function convGeometry(a: ConvAttrs, n: number): ConvGeometry {
  const kernel = tuple(a.kernelSize, n);
  const stride = tuple(a.stride, n);
  const dilation = tuple(a.dilation, n);
  let padBegin: number[];
  let padEnd: number[];
  if (a.padding === 'same') {
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    padBegin = total.map((t) => Math.floor(t / 2));
    padEnd = total.map((t, i) => t - padBegin[i]);
  } else if (a.padding === 'valid') {
    padBegin = new Array<number>(n).fill(0);
    padEnd = padBegin;
  } else {
    padBegin = tuple(a.padding, n);
    padEnd = padBegin;
  }
  return { kernel, stride, dilation, padBegin, padEnd: [...padEnd] };
}

/** One spatial output size, symbolic when the input size is. */
export function windowOutput(
  size: Dim,
  padTotal: number,
  effectiveKernel: number,
  stride: number,
  ceilMode = false,
  padBegin = 0,
): Dim {
  if (typeof size === 'number') {
    const span = size + padTotal - effectiveKernel;
    if (span < 0)
      fail(
        `the window (${effectiveKernel}) is larger than the padded input (${size + padTotal})`,
        'kernelSize',
      );
    let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
    // PyTorch: with ceil_mode the last window must start inside the input or left padding.
    if (ceilMode && (out - 1) * stride >= size + padBegin) out -= 1;
    return out;
  }
  if (stride === 1) return dimAdd(size, padTotal - effectiveKernel + 1);
  return dimAdd(
    dimDiv(dimAdd(size, padTotal - effectiveKernel), stride, ceilMode ? 'ceil' : 'floor'),
    1,
  );
}

export function convOp<const Name extends 'conv1d' | 'conv2d'>(name: Name, n: 1 | 2) {
  const pair = (e: z.ZodNumber) => intOrTuple(n, e);
  return defineOp({
    op: name,
    schema: z.strictObject({
      ...nodeBase,
      op: z.literal(name),
      inChannels: positiveInt,
      outChannels: positiveInt,
      kernelSize: pair(positiveInt),
      stride: pair(positiveInt).default(1),
      padding: z.union([pair(nonNegativeInt), z.enum(['same', 'valid'])]).default(0),
      dilation: pair(positiveInt).default(1),
      groups: positiveInt.default(1),
      bias: z.boolean().default(true),
      paddingMode: z.literal('zeros').default('zeros'),
    }),
    arity: [1, 1],
    infer(a, [x]) {
      requireRank(x, [n + 2], n === 1 ? 'input [N, C, L]' : 'input [N, C, H, W]');
      requireDim(x.shape[1], a.inChannels, 'inChannels', 'channel count');
      if (a.inChannels % a.groups !== 0)
        fail(`${a.groups} does not divide inChannels ${a.inChannels}`, 'groups');
      if (a.outChannels % a.groups !== 0)
        fail(`${a.groups} does not divide outChannels ${a.outChannels}`, 'groups');
      const g = convGeometry(a, n);
      if (a.padding === 'same' && g.stride.some((s) => s !== 1)) {
        fail('"same" needs stride 1 (as in PyTorch)', 'padding');
      }
      const spatial = x.shape.slice(2).map((size, i) => {
        const eff = g.dilation[i] * (g.kernel[i] - 1) + 1;
        return windowOutput(size, g.padBegin[i] + g.padEnd[i], eff, g.stride[i]);
      });
      return { out: float([x.shape[0], a.outChannels, ...spatial]) };
    },
    weights(a) {
      const kernel = tuple(a.kernelSize, n);
      const fanIn = (a.inChannels / a.groups) * kernel.reduce((p, k) => p * k, 1);
      const bound = 1 / Math.sqrt(fanIn);
      const w: WeightDecl[] = [
        {
          name: 'weight',
          shape: [a.outChannels, a.inChannels / a.groups, ...kernel],
          init: uniform(bound),
        },
      ];
      if (a.bias) w.push({ name: 'bias', shape: [a.outChannels], init: uniform(bound) });
      return w;
    },
  });
}
