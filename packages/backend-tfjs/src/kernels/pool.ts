// nn.MaxPool1d/2d and nn.AvgPool1d/2d on channels-last tensors (1-D pools are 2-D pools over a
// height of 1). PyTorch's output size per spatial dim, window k, stride s, padding p, dilation d:
//   out = ⌊or⌈(L + 2p - d·(k - 1) - 1) / s⌉ + 1; with ceilMode, if (out - 1)·s ≥ L + p then out -= 1.
// The input is padded to exactly the extent the windows cover, (out - 1)·s + d·(k - 1) + 1
// (p before; after: p plus whatever ceilMode adds, or less when the last rows are never read),
// with -∞ for max and 0 for avg, then pooled with 'valid' windows.
// Max: tf.maxPool, with NaN put back where a window holds one (PyTorch's max pools propagate
// NaN; tf.maxPool drops it on cpu and wasm) and −∞ where a window holds only −∞ and padding.
// Dilated max pools (tf.maxPool has no dilation) take the max over the k·k shifted strided slices.
// Avg: the window sum, a depthwise convolution with a filter of ones (tf.avgPool on wasm turns a
// NaN, or +∞ with −∞, into −∞), divided by PyTorch's divisor:
//   countIncludePad: the window clipped to the padded input [−p, L + p): min(start + k, L + p) − start;
//   otherwise:       the number of window positions inside the real input [0, L).
import * as tf from '@tensorflow/tfjs';
import { poolGeometry, poolOutputSize } from '@tessera/spec';
import type { Kernel } from './types.js';
import { Value } from './value.js';

type PoolOp = 'maxPool1d' | 'maxPool2d' | 'avgPool1d' | 'avgPool2d';

interface Axis {
  size: number;
  k: number;
  s: number;
  p: number;
  d: number;
  out: number;
}

/** The avg divisor of each output position along one axis. */
function divisors(a: Axis, countIncludePad: boolean): number[] {
  return Array.from({ length: a.out }, (_, o) => {
    const start = o * a.s - a.p;
    if (countIncludePad) return Math.min(start + a.k, a.size + a.p) - start;
    return Math.min(start + a.k, a.size) - Math.max(start, 0);
  });
}

/** x [N, H, W, C] padded (or cropped) so that 'valid' windows give exactly `out` per axis. */
function padToWindows(x: tf.Tensor4D, axes: [Axis, Axis], value: number): tf.Tensor4D {
  const extents = axes.map((a) => (a.out - 1) * a.s + a.d * (a.k - 1) + 1);
  const after = axes.map((a, i) => Math.max(0, extents[i] - a.size - a.p));
  let y = x;
  if (axes.some((a) => a.p > 0) || after.some((e) => e > 0)) {
    y = tf.pad(
      y,
      [
        [0, 0],
        [axes[0].p, after[0]],
        [axes[1].p, after[1]],
        [0, 0],
      ],
      value,
    ) as tf.Tensor4D;
  }
  if (y.shape[1] > extents[0] || y.shape[2] > extents[1]) {
    y = tf.slice(y, [0, 0, 0, 0], [y.shape[0], extents[0], extents[1], y.shape[3]]) as tf.Tensor4D;
  }
  return y;
}

/** Max over dilated windows: the elementwise max of the kH·kW shifted, strided slices. */
function dilatedMax(x: tf.Tensor4D, [h, w]: [Axis, Axis]): tf.Tensor4D {
  let best: tf.Tensor4D | undefined;
  for (let i = 0; i < h.k; i++) {
    for (let j = 0; j < w.k; j++) {
      const begin = [0, i * h.d, j * w.d, 0];
      const end = [
        x.shape[0],
        i * h.d + (h.out - 1) * h.s + 1,
        j * w.d + (w.out - 1) * w.s + 1,
        x.shape[3],
      ];
      const slice = tf.stridedSlice(x, begin, end, [1, h.s, w.s, 1]) as tf.Tensor4D;
      best = best === undefined ? slice : (tf.maximum(best, slice) as tf.Tensor4D);
    }
  }
  return best!;
}

/**
 * PyTorch's max where tf.maxPool's differs: NaN where a window of `padded` holds one (tf.maxPool
 * drops it on cpu and wasm), −∞ where it holds nothing else (webgl's starts from −1e20). One
 * pool over a code per element, 2 for NaN, 1 for a value above −∞, 0 for −∞, finds both. A
 * custom gradient: dy flows to y outside those windows, none to the code (tfjs has no gradient
 * for its comparisons). PyTorch gives a NaN window's gradient to its NaN element; here it goes
 * nowhere (the loss is NaN then whatever the gradient).
 */
function withNonFiniteWindows(
  y: tf.Tensor4D,
  padded: tf.Tensor4D,
  pool: (t: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [value, input, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    const above = tf.cast(tf.greater(input, Number.NEGATIVE_INFINITY), 'float32');
    const code = pool(tf.where(tf.isNaN(input), tf.fill(input.shape, 2), above) as tf.Tensor4D);
    const nan = tf.equal(code, 2);
    const none = tf.equal(code, 0);
    save([tf.logicalOr(nan, none)]);
    return {
      value: tf.where(
        nan,
        tf.fill(value.shape, Number.NaN),
        tf.where(none, tf.fill(value.shape, Number.NEGATIVE_INFINITY), value),
      ),
      gradFunc: (dy: tf.Tensor, [replaced]: tf.Tensor[]) => [
        tf.where(replaced, tf.zerosLike(dy), dy),
        tf.zerosLike(input),
      ],
    };
  });
  return f(y, padded) as tf.Tensor4D;
}

export function poolKernel(kind: 'max' | 'avg', dims: 1 | 2): Kernel<PoolOp> {
  return {
    apply(node, [input]) {
      const g = poolGeometry(node as Parameters<typeof poolGeometry>[0], dims);
      const x = (dims === 1 ? tf.expandDims(input.nhwc, 1) : input.nhwc) as tf.Tensor4D;
      const spatial = dims === 1 ? [1, x.shape[2]] : [x.shape[1], x.shape[2]];
      const at = (v: number[], i: number, one: number) =>
        dims === 1 ? (i === 0 ? one : v[0]) : v[i];
      const axes = [0, 1].map((i): Axis => {
        const size = spatial[i];
        const k = at(g.kernel, i, 1);
        const s = at(g.stride, i, 1);
        const p = at(g.padding, i, 0);
        const d = at(g.dilation, i, 1);
        return { size, k, s, p, d, out: poolOutputSize(size, k, s, p, d, node.ceilMode) };
      }) as [Axis, Axis];
      const window: [number, number] = [axes[0].k, axes[1].k];
      const strides: [number, number] = [axes[0].s, axes[1].s];
      let y: tf.Tensor4D;
      if (kind === 'max') {
        const padded = padToWindows(x, axes, Number.NEGATIVE_INFINITY);
        const maxOf = (t: tf.Tensor4D) =>
          axes.some((a) => a.d > 1) ? dilatedMax(t, axes) : tf.maxPool(t, window, strides, 'valid');
        y = withNonFiniteWindows(maxOf(padded), padded, maxOf);
      } else {
        const padded = padToWindows(x, axes, 0);
        const ones = tf.ones([window[0], window[1], padded.shape[3], 1]) as tf.Tensor4D;
        const sum = tf.depthwiseConv2d(padded, ones, strides, 'valid');
        const includePad =
          (node.op === 'avgPool1d' || node.op === 'avgPool2d') && node.countIncludePad === true;
        const [dh, dw] = axes.map((a) => divisors(a, includePad));
        const divisor = new Float32Array(dh.length * dw.length);
        for (let i = 0; i < dh.length; i++) {
          for (let j = 0; j < dw.length; j++) divisor[i * dw.length + j] = dh[i] * dw[j];
        }
        y = tf.div(sum, tf.tensor3d(divisor, [dh.length, dw.length, 1]));
      }
      return new Value(dims === 1 ? tf.squeeze(y, [1]) : y, true);
    },
  };
}
