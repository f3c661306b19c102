// Scores [..., tq, tk]: −∞ where key j comes after query i, which sits at position i + tk − tq
// (the last tq of tk positions); with tq = tk PyTorch's upper-triangular mask. Added as a
// [tq, tk] bias of 0 and −∞ that broadcasts over the leading dims (no [..., tq, tk] condition
// tensor, as tf.where would need), so the gradient passes straight through to the scores and the
// softmax after it zeroes it where they are −∞.
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';

export const causalMask: Kernel<'causalMask'> = {
  apply(_node, [input]) {
    const x = input.logical;
    const [tq, tk] = x.shape.slice(-2);
    return tf.add(x, causalBias(tq, tk));
  },
};

/** [tq, tk]: 0 where key j ≤ i + tk − tq, −∞ after it. */
function causalBias(tq: number, tk: number): tf.Tensor2D {
  const data = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) {
    data.fill(Number.NEGATIVE_INFINITY, i * tk + i + tk - tq + 1, (i + 1) * tk);
  }
  return tf.tensor2d(data, [tq, tk]);
}
