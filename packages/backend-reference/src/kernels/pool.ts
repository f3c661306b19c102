// nn.MaxPool1d/2d and nn.AvgPool1d/2d, PyTorch's rules. Per spatial dim, with window k, stride s,
// padding p, dilation d (1 for avg):
//   out = ⌊or⌈(L + 2p - d·(k - 1) - 1) / s⌉ + 1, and with ceilMode the last window must start
//   inside the input or the left padding: if (out - 1)·s ≥ L + p then out -= 1.
// Max: the maximum over window positions inside the input (padding counts as -inf); NaN wins.
// Avg: the sum over positions inside the input divided by
//   countIncludePad: the window clipped to the padded input [−p, L + p), i.e.
//                    min(start + k, L + p) − start for start = o·s − p;
//   otherwise:       the number of positions inside the real input [0, L).
// 1-D pools are 2-D pools over a height of 1.
import { type NodeOf, poolGeometry, poolOutputSize } from '@tessera/spec';
import type { F64Tensor } from '../tensor.js';
import type { Kernel } from './types.js';

interface Pool2dGeometry {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceilMode: boolean;
  countIncludePad: boolean;
}

/** x [N, C, H, W] → [N, C, outH, outW]. */
export function pool2dCore(x: F64Tensor, kind: 'max' | 'avg', g: Pool2dGeometry): F64Tensor {
  const [n, c, inH, inW] = x.shape;
  const [kH, kW] = g.kernel;
  const [sH, sW] = g.stride;
  const [pH, pW] = g.padding;
  const [dH, dW] = g.dilation;
  const outH = poolOutputSize(inH, kH, sH, pH, dH, g.ceilMode);
  const outW = poolOutputSize(inW, kW, sW, pW, dW, g.ceilMode);
  const data = new Float64Array(n * c * outH * outW);
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const h0 = oh * sH - pH;
        const w0 = ow * sW - pW;
        let max = Number.NEGATIVE_INFINITY;
        let sum = 0;
        let inside = 0;
        for (let i = 0; i < kH; i++) {
          const ih = h0 + i * dH;
          if (ih < 0 || ih >= inH) continue;
          for (let j = 0; j < kW; j++) {
            const iw = w0 + j * dW;
            if (iw < 0 || iw >= inW) continue;
            const v = x.data[base + ih * inW + iw];
            if (v > max || Number.isNaN(v)) max = v;
            sum += v;
            inside++;
          }
        }
        let value: number;
        if (kind === 'max') value = max;
        else {
          const padded = (Math.min(h0 + kH, inH + pH) - h0) * (Math.min(w0 + kW, inW + pW) - w0);
          value = sum / (g.countIncludePad ? padded : inside);
        }
        data[(plane * outH + oh) * outW + ow] = value;
      }
    }
  }
  return { shape: [n, c, outH, outW], data };
}

type PoolOp = 'maxPool1d' | 'maxPool2d' | 'avgPool1d' | 'avgPool2d';

export function poolKernel<O extends PoolOp>(kind: 'max' | 'avg', dims: 1 | 2): Kernel<O> {
  const kernel = (node: NodeOf<PoolOp>, [x]: F64Tensor[]) => {
    const g = poolGeometry(node as unknown as Parameters<typeof poolGeometry>[0], dims);
    // The spec's generic pool schema types ceilMode and countIncludePad as unknown; parsing made
    // them booleans. Max pools have no countIncludePad: the divisor rule only matters to avg.
    const countIncludePad =
      (node.op === 'avgPool1d' || node.op === 'avgPool2d') && node.countIncludePad === true;
    if (dims === 2)
      return pool2dCore(x, kind, { ...g, ceilMode: node.ceilMode === true, countIncludePad });
    // A unit height: kernel 1, stride 1, no padding, so exactly one output row.
    const [n, c, l] = x.shape;
    const y = pool2dCore({ shape: [n, c, 1, l], data: x.data }, kind, {
      kernel: [1, g.kernel[0]],
      stride: [1, g.stride[0]],
      padding: [0, g.padding[0]],
      dilation: [1, g.dilation[0]],
      ceilMode: node.ceilMode === true,
      countIncludePad,
    });
    return { shape: [n, c, y.shape[3]], data: y.data };
  };
  return kernel as Kernel<O>;
}
