// torch.select(x, dim, index): the slice at `index` (negative counts from the end), dim dropped.
import * as tf from '@tensorflow/tfjs';
import { axisOf } from './softmax.js';
import type { Kernel } from './types.js';

export const select: Kernel<'select'> = {
  apply(node, [input]) {
    const x = input.logical;
    const d = axisOf(node.dim, x.rank);
    const index = node.index < 0 ? node.index + x.shape[d] : node.index;
    const begin = x.shape.map((_, i) => (i === d ? index : 0));
    const size = x.shape.map((s, i) => (i === d ? 1 : s));
    return tf.squeeze(tf.slice(x, begin, size), [d]);
  },
};
