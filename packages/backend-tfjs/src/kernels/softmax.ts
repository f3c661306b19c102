// softmax(x)_i = e^(x_i - max x) / Σ_j e^(x_j - max x) along `dim`. tf.softmax only works on the
// last axis; other axes use the formula directly.
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';

export function axisOf(dim: number, rank: number): number {
  return dim < 0 ? dim + rank : dim;
}

export const softmax: Kernel<'softmax'> = {
  apply(node, [input]) {
    const x = input.logical;
    const axis = axisOf(node.dim, x.rank);
    if (axis === x.rank - 1) return tf.softmax(x);
    const e = tf.exp(tf.sub(x, tf.max(x, axis, true)));
    return tf.div(e, tf.sum(e, axis, true));
  },
};
