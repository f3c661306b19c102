// nn.Conv1d / nn.Conv2d. The sum, for output channel o in group g = ⌊o / (O/G)⌋:
//   y[n, o, p] = b[o] + Σ_{c < C/G} Σ_{k} w[o, c, k] · x[n, g·C/G + c, p·stride - padBegin + k·dilation]
// where positions outside the input read zero. Output size per spatial dim:
//   ⌊(L + padBegin + padEnd - dilation·(k - 1) - 1) / stride⌋ + 1.
// Conv1d is conv2d over a height of 1 with a kernel height of 1.
import { convGeometry, type NodeOf } from '@tessera/spec';
import type { F64Tensor } from '../tensor.js';
import type { Kernel } from './types.js';

export interface Conv2dGeometry {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  padBegin: [number, number];
  padEnd: [number, number];
  groups: number;
}

export function convOutputSize(
  size: number,
  padTotal: number,
  kernel: number,
  dilation: number,
  stride: number,
): number {
  return Math.floor((size + padTotal - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** x [N, C, H, W], w [O, C/G, kH, kW], b [O] → [N, O, outH, outW]. */
export function conv2dCore(
  x: F64Tensor,
  w: F64Tensor,
  b: F64Tensor | undefined,
  g: Conv2dGeometry,
): F64Tensor {
  const [n, inC, inH, inW] = x.shape;
  const [outC, groupC, kH, kW] = w.shape;
  const outH = convOutputSize(inH, g.padBegin[0] + g.padEnd[0], kH, g.dilation[0], g.stride[0]);
  const outW = convOutputSize(inW, g.padBegin[1] + g.padEnd[1], kW, g.dilation[1], g.stride[1]);
  const outPerGroup = outC / g.groups;
  const data = new Float64Array(n * outC * outH * outW);
  for (let b0 = 0; b0 < n; b0++) {
    for (let o = 0; o < outC; o++) {
      const firstIn = Math.floor(o / outPerGroup) * groupC;
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          let s = b === undefined ? 0 : b.data[o];
          for (let c = 0; c < groupC; c++) {
            for (let i = 0; i < kH; i++) {
              const ih = oh * g.stride[0] - g.padBegin[0] + i * g.dilation[0];
              if (ih < 0 || ih >= inH) continue;
              for (let j = 0; j < kW; j++) {
                const iw = ow * g.stride[1] - g.padBegin[1] + j * g.dilation[1];
                if (iw < 0 || iw >= inW) continue;
                s +=
                  w.data[((o * groupC + c) * kH + i) * kW + j] *
                  x.data[((b0 * inC + firstIn + c) * inH + ih) * inW + iw];
              }
            }
          }
          data[((b0 * outC + o) * outH + oh) * outW + ow] = s;
        }
      }
    }
  }
  return { shape: [n, outC, outH, outW], data };
}

export const conv2d: Kernel<'conv2d'> = (node, [x], ctx) => {
  const g = convGeometry(node, 2);
  return conv2dCore(x, ctx.weight(node, 'weight'), ctx.optionalWeight(node, 'bias'), {
    kernel: [g.kernel[0], g.kernel[1]],
    stride: [g.stride[0], g.stride[1]],
    dilation: [g.dilation[0], g.dilation[1]],
    padBegin: [g.padBegin[0], g.padBegin[1]],
    padEnd: [g.padEnd[0], g.padEnd[1]],
    groups: node.groups,
  });
};

export const conv1d: Kernel<'conv1d'> = (node: NodeOf<'conv1d'>, [x], ctx) => {
  const g = convGeometry(node, 1);
  const [n, c, l] = x.shape;
  const w = ctx.weight(node, 'weight');
  const [o, groupC, k] = w.shape;
  const y = conv2dCore(
    { shape: [n, c, 1, l], data: x.data },
    { shape: [o, groupC, 1, k], data: w.data },
    ctx.optionalWeight(node, 'bias'),
    {
      kernel: [1, g.kernel[0]],
      stride: [1, g.stride[0]],
      dilation: [1, g.dilation[0]],
      padBegin: [0, g.padBegin[0]],
      padEnd: [0, g.padEnd[0]],
      groups: node.groups,
    },
  );
  return { shape: [n, o, y.shape[3]], data: y.data };
};
