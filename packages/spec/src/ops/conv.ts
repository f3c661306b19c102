// nn.Conv1d / nn.Conv2d over [N, C, L] / [N, C, H, W]; weight [out, in/groups, k...].
// Output size per spatial dim: floor((L + padL + padR - dilation·(k - 1) - 1) / stride) + 1.
// "same" pads dilation·(k-1) in total, the smaller half first (PyTorch), and needs stride 1.
import { z } from 'zod';
import {
  count,
  defineOp,
  divisors,
  fail,
  float,
  intOrTuple,
  nodeBase,
  nonNegativeInt,
  type OpExample,
  positiveInt,
  requireDim,
  requireRank,
  tuple,
  uniform,
  type WeightDecl,
  weightPrefix,
} from './common.js';
import { windowOutput } from './window.js';

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

export function convOp<const Name extends 'conv1d' | 'conv2d'>(
  name: Name,
  n: 1 | 2,
  examples: readonly OpExample[],
) {
  const pair = (e: z.ZodNumber) => intOrTuple(n, e);
  return defineOp({
    op: name,
    schema: z.strictObject({
      ...nodeBase,
      weightPrefix,
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
    flops(a, { out }) {
      // A multiply-add per output element, input channel of its group and kernel tap.
      const taps = count(tuple(a.kernelSize, n));
      return 2 * count(out) * (a.inChannels / a.groups) * taps + (a.bias ? count(out) : 0);
    },
    fuzz(d, x) {
      if (x.length !== n + 2) return undefined;
      const [, inChannels, ...spatial] = x;
      const groups = d.pick(divisors(inChannels));
      const outChannels = groups * d.int(1, Math.max(1, Math.floor(6 / groups)));
      const paddingKind = d.pick(['int', 'same', 'valid'] as const);
      const stride = paddingKind === 'same' ? 1 : d.int(1, 2);
      const dilation = d.int(1, 2);
      const pad = paddingKind === 'int' ? d.int(0, 2) : 0;
      // At most the largest kernel whose dilated extent fits the padded input (one output);
      // "same" keeps the size, so any kernel fits.
      const kernel = spatial.map((s) => {
        const room = paddingKind === 'same' ? 4 : Math.floor((s + 2 * pad - 1) / dilation) + 1;
        return d.int(1, Math.max(1, Math.min(4, room)));
      });
      return {
        attrs: {
          inChannels,
          outChannels,
          kernelSize: n === 1 ? kernel[0] : kernel,
          stride,
          padding: paddingKind === 'int' ? pad : paddingKind,
          dilation,
          groups,
          bias: d.bool(),
        },
      };
    },
    examples,
  });
}
