// nn.LayerNorm: (x - mean) / sqrt(var + eps) · weight + bias over the last normalizedShape.length
// dims, with the biased variance (tf.moments).
import * as tf from '@tensorflow/tfjs';
import { normShape } from '@tessera/spec';
import type { Kernel } from './types.js';
import { range } from './value.js';

export const layerNorm: Kernel<'layerNorm'> = {
  apply(node, [input], w) {
    const x = input.logical;
    const axes = range(x.rank - normShape(node.normalizedShape).length, x.rank);
    const { mean, variance } = tf.moments(x, axes, true);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, node.eps)));
    const weight = w.optional('weight');
    const bias = w.optional('bias');
    if (weight !== undefined) y = tf.mul(y, weight);
    if (bias !== undefined) y = tf.add(y, bias);
    return y;
  },
};
