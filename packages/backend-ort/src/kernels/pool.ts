// The pools map onto MaxPool / AveragePool. PyTorch's ceil_mode (the last window must start
// inside the input or the left padding) is lowered, when the spatial size is known, to
// ceil_mode=0 with `extra` padding at the end: extra = max(0, (out - 1)·s + dilation·(k - 1) + 1
// - (L + 2p)). MaxPool ignores padded cells, so that is exact; ORT-web's shape inference gets
// dilated ceil-mode pools wrong, so this also keeps it out of the way. For AveragePool the
// divisor must be PyTorch's: the window clipped to the input (countIncludePad=false), or clipped
// to input + padding (countIncludePad=true), which an explicit zero Pad followed by
// count_include_pad=0 gives exactly.

import { poolGeometry } from '@tessera/spec';
import { int, ints } from '../graph-builder.js';
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
      if (fits(g.padding) && fits(end))
        return b.op1('MaxPool', [x], hint, {
          ...base,
          pads: ints([...g.padding, ...end]),
          dilations: ints(g.dilation),
        });
      const padded = padNode(g.padding, end, Number.NEGATIVE_INFINITY);
      return b.op1('MaxPool', [padded], hint, {
        ...base,
        pads: ints([...none, ...none]),
        dilations: ints(g.dilation),
      });
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
