// torch.mean(x, dim, keepdim). With lengths (dim 1 only, the spec checks): row b's mean over its
// valid steps, Σ_{t<L_b} x[b, t] / L_b. The padding is selected away (tf.where), not multiplied
// by 0, so that a non-finite value there is never read, as packed sequences never read it.
import * as tf from '@tensorflow/tfjs';
import { meanAxes, splitLengths } from '@tessera/spec';
import { hostLengths, validMask } from './length-mask.js';
import type { Kernel } from './types.js';

export const mean: Kernel<'mean'> = {
  apply(node, ins) {
    const {
      inputs: [input],
      lengths,
    } = splitLengths(node, ins);
    const x = input.logical;
    if (lengths === undefined) return tf.mean(x, meanAxes(node.dim, x.rank), node.keepdim);
    const valid = hostLengths(lengths);
    const kept = tf.where(validMask(valid, x.shape), x, tf.zerosLike(x));
    const sum = tf.sum(kept, 1, node.keepdim); // [B, (1,) ...]
    const count = tf.tensor(Float32Array.from(valid), [
      x.shape[0],
      ...sum.shape.slice(1).map(() => 1),
    ]);
    return tf.div(sum, count);
  },
};
