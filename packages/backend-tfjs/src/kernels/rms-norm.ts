// nn.RMSNorm: x / sqrt(mean(x²) + eps) · weight over the last normalizedShape.length dims.
import * as tf from '@tensorflow/tfjs';
import { normShape } from '@tessera/spec';
import type { Kernel } from './types.js';
import { range } from './value.js';

export const rmsNorm: Kernel<'rmsNorm'> = {
  apply(node, [input], w) {
    const x = input.logical;
    const axes = range(x.rank - normShape(node.normalizedShape).length, x.rank);
    const y = tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), axes, true), node.eps)));
    const weight = w.optional('weight');
    return weight === undefined ? y : tf.mul(y, weight);
  },
};
