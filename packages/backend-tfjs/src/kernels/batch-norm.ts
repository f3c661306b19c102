// nn.BatchNorm1d/2d in eval mode, folded at prepare time into one scale and shift per channel:
//   scale = weight / sqrt(running_var + eps),  shift = bias - running_mean · scale,  y = x·scale + shift.
// Channels-last inputs broadcast [C] directly; PyTorch-layout [N, C, ...] inputs use [C, 1, ...].
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';
import { Value } from './value.js';

export const batchNorm: Kernel<'batchNorm'> = {
  prepare(node, w) {
    const invStd = tf.rsqrt(tf.add(w.get('running_var'), node.eps));
    const weight = w.optional('weight');
    const bias = w.optional('bias');
    const scale = weight === undefined ? invStd : tf.mul(weight, invStd);
    const shifted = tf.neg(tf.mul(w.get('running_mean'), scale));
    return { scale, shift: bias === undefined ? shifted : tf.add(bias, shifted) };
  },
  apply(node, [x], w) {
    const scale = w.get('scale');
    const shift = w.get('shift');
    if (x.rank === 2 || x.channelsLast) {
      return new Value(tf.add(tf.mul(x.tensor, scale), shift), x.channelsLast);
    }
    const c = node.numFeatures;
    const perChannel = [c, ...new Array<number>(x.rank - 2).fill(1)];
    return tf.add(tf.mul(x.tensor, tf.reshape(scale, perChannel)), tf.reshape(shift, perChannel));
  },
};
