// logSoftmax(x)_i = x_i - max x - log Σ_j e^(x_j - max x) along `dim` (tf.logSoftmax only takes
// the last axis).
import * as tf from '@tensorflow/tfjs';
import { axisOf } from './softmax.js';
import type { Kernel } from './types.js';

export const logSoftmax: Kernel<'logSoftmax'> = {
  apply(node, [input]) {
    const x = input.logical;
    const axis = axisOf(node.dim, x.rank);
    const shifted = tf.sub(x, tf.max(x, axis, true));
    return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), axis, true)));
  },
};
