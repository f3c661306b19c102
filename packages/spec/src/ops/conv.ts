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

/** A convolution's window per spatial dim: kernel, stride, dilation and the padding on each side. */
export interface ConvGeometry {
  kernel: number[];
  stride: number[];
  dilation: number[];
  /** Padding before and after, per spatial dim. */
  padBegin: number[];
  padEnd: number[];
}

/** The window of a conv node over `n` spatial dims, 'same' and 'valid' padding resolved to numbers. */
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
  const torchName = `nn.Conv${n}d`;
  // How a size per spatial dim is written, for the descriptions.
  const each = n === 1 ? '' : ' (a number, or [height, width])';
  return defineOp({
    op: name,
    schema: z.strictObject({
      ...nodeBase,
      weightPrefix,
      op: z
        .literal(name)
        .describe(
          `${torchName} over ${n === 1 ? '[N, C, L]' : '[N, C, H, W]'}, weight [out, in/groups, kernel...]`,
        ),
      inChannels: positiveInt.describe(`\`in_channels\` of ${torchName}: dim 1 of the input`),
      outChannels: positiveInt.describe(
        `\`out_channels\` of ${torchName}: the channels it makes, dim 1 of the output`,
      ),
      kernelSize: pair(positiveInt).describe(
        `\`kernel_size\` of ${torchName}: the window's size${each}`,
      ),
      stride: pair(positiveInt)
        .default(1)
        .describe(`\`stride\` of ${torchName}: the step between windows${each}`),
      padding: z
        .union([pair(nonNegativeInt), z.enum(['same', 'valid'])])
        .default(0)
        .describe(
          `\`padding\` of ${torchName}: zeros added to each side of the input${each}; 'same' pads to keep the size (stride 1 only), 'valid' adds none`,
        ),
      dilation: pair(positiveInt)
        .default(1)
        .describe(
          `\`dilation\` of ${torchName}: the spacing between the window's taps${each}; 1 is a dense window`,
        ),
      groups: positiveInt
        .default(1)
        .describe(
          `\`groups\` of ${torchName}: the channels split into groups convolved separately; it divides both channel counts (inChannels for a depthwise conv)`,
        ),
      bias: z
        .boolean()
        .default(true)
        .describe(`\`bias\` of ${torchName}: adds a learned bias [outChannels]`),
      paddingMode: z
        .literal('zeros')
        .default('zeros')
        .describe(
          `\`padding_mode\` of ${torchName}: only 'zeros', PyTorch's default, is supported`,
        ),
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
