// nn.Conv1d / nn.Conv2d on channels-last tensors. A 1-D convolution is a 2-D one over a height
// of 1. Filters are converted once at prepare time from PyTorch's [O, I/g, kH, kW] to tfjs's
// HWIO [kH, kW, I/g, O]; depthwise convolutions (groups = inChannels) use tf.depthwiseConv2d with
// [kH, kW, C, O/C] (PyTorch's output channel c·(O/C) + m is tfjs's channel c, multiplier m);
// other groupings run one convolution per group and concatenate.
// tfjs cannot combine stride > 1 with dilation > 1, so that case convolves at stride 1 and keeps
// every stride-th output position.
import * as tf from '@tensorflow/tfjs';
import { convGeometry, type NodeOf } from '@tessera/spec';
import { reluKeepingNaN } from './relu.js';
import type { Kernel } from './types.js';
import { Value } from './value.js';

type ConvOp = 'conv1d' | 'conv2d';

/** PyTorch filter → tfjs filter: [O, I/g, kH, kW] → HWIO, or [kH, kW, C, O/C] when depthwise. */
function toTfFilter(weight: tf.Tensor, node: NodeOf<ConvOp>): tf.Tensor4D {
  const w4 = weight.rank === 3 ? tf.expandDims(weight, 2) : weight; // [O, I/g, 1, k] for conv1d
  if (isDepthwise(node)) {
    const [o, , kh, kw] = w4.shape;
    const c = node.inChannels;
    return tf.transpose(tf.reshape(w4, [c, o / c, kh, kw]), [2, 3, 0, 1]) as tf.Tensor4D;
  }
  return tf.transpose(w4, [2, 3, 1, 0]) as tf.Tensor4D;
}

function isDepthwise(node: NodeOf<ConvOp>): boolean {
  return node.groups > 1 && node.groups === node.inChannels;
}

export function convKernel(dims: 1 | 2): Kernel<ConvOp> {
  return {
    prepare(node, w) {
      const out: Record<string, tf.Tensor> = { filter: toTfFilter(w.get('weight'), node) };
      const bias = w.optional('bias');
      if (bias !== undefined) out.bias = bias;
      return out;
    },
    apply(node, [x], w, activation) {
      const g = convGeometry(node, dims);
      // 2-D view: a 1-D convolution has height 1, kernel 1, stride 1, no padding on that axis.
      const two = (values: number[], one: number) =>
        (dims === 1 ? [one, values[0]] : values) as [number, number];
      const stride = two(g.stride, 1);
      const dilation = two(g.dilation, 1);
      const padBegin = two(g.padBegin, 0);
      const padEnd = two(g.padEnd, 0);
      const input = (dims === 1 ? tf.expandDims(x.nhwc, 1) : x.nhwc) as tf.Tensor4D;
      const filter = w.get('filter') as tf.Tensor4D;
      const bias = w.optional('bias');
      // tfjs refuses stride > 1 together with dilation > 1: convolve densely, then subsample.
      const subsample = stride.some((s) => s > 1) && dilation.some((d) => d > 1);
      const convStride: [number, number] = subsample ? [1, 1] : stride;
      // PyTorch's padding, explicitly: [[0, 0], [top, bottom], [left, right], [0, 0]].
      const pad: [[number, number], [number, number], [number, number], [number, number]] = [
        [0, 0],
        [padBegin[0], padEnd[0]],
        [padBegin[1], padEnd[1]],
        [0, 0],
      ];
      let y: tf.Tensor4D;
      if (node.groups === 1) {
        y = tf.fused.conv2d({
          x: input,
          filter,
          strides: convStride,
          pad,
          dilations: dilation,
          bias,
          activation,
        });
      } else if (isDepthwise(node)) {
        // tfjs's depthwise convolution takes no explicit padding, so pad first.
        y = tf.fused.depthwiseConv2d({
          x: tf.pad(input, pad),
          filter,
          strides: convStride,
          pad: 'valid',
          dilations: dilation,
          bias,
          activation,
        });
      } else {
        const xs = tf.split(input, node.groups, 3) as tf.Tensor4D[];
        const fs = tf.split(filter, node.groups, 3);
        const parts = xs.map((xg, i) =>
          tf.conv2d(xg, fs[i] as tf.Tensor4D, convStride, pad, 'NHWC', dilation),
        );
        y = tf.concat(parts, 3);
        if (bias !== undefined) y = tf.add(y, bias);
        if (activation === 'relu') y = reluKeepingNaN(y);
      }
      if (subsample) {
        const [n, h, wd, c] = y.shape;
        y = tf.stridedSlice(
          y,
          [0, 0, 0, 0],
          [n, h, wd, c],
          [1, stride[0], stride[1], 1],
        ) as tf.Tensor4D;
      }
      return new Value(dims === 1 ? tf.squeeze(y, [1]) : y, true);
    },
  };
}
