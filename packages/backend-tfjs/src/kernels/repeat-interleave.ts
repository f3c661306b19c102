// torch.repeat_interleave(x, repeats, dim): x seen as [outer, n, 1, inner] (n the size of `dim`),
// broadcast to [outer, n, repeats, inner] and reshaped back with n·repeats along `dim`, so output
// index j reads input index floor(j / repeats). Always rank 4, because tfjs's broadcastTo runs as
// a tile whose gradient (the sum over the repeats) exists only up to rank 4.
import * as tf from '@tensorflow/tfjs';
import { axisOf } from './softmax.js';
import type { Kernel } from './types.js';

export const repeatInterleave: Kernel<'repeatInterleave'> = {
  apply(node, [input]) {
    const x = input.logical;
    if (node.repeats === 1) return x;
    const axis = axisOf(node.dim, x.rank);
    const n = x.shape[axis];
    const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
    const inner = x.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
    const spread = tf.broadcastTo(tf.reshape(x, [outer, n, 1, inner]), [
      outer,
      n,
      node.repeats,
      inner,
    ]);
    return tf.reshape(
      spread,
      x.shape.map((d, i) => (i === axis ? d * node.repeats : d)),
    );
  },
};
