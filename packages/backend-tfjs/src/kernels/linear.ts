// nn.Linear: y = x Wᵀ + b over the last dim. The kernel is stored transposed ([in, out]) so that
// the forward pass is one fused matMul+bias over the flattened leading dims.
import * as tf from '@tensorflow/tfjs';
import type { Activation, Kernel } from './types.js';

export const linear: Kernel<'linear'> = {
  prepare(_node, w) {
    const out: Record<string, tf.Tensor> = { kernel: tf.transpose(w.get('weight')) };
    const bias = w.optional('bias');
    if (bias !== undefined) out.bias = bias;
    return out;
  },
  apply(node, [x], w, activation) {
    return dense(x.logical, w.get('kernel'), w.optional('bias'), node.outFeatures, activation);
  },
};

/** x [..., in] · kernel [in, out] + bias, for any rank of x. */
export function dense(
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor | undefined,
  outFeatures: number,
  activation?: Activation,
): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const flat =
    x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, x.shape[x.rank - 1]]) as tf.Tensor2D);
  const y = tf.fused.matMul({ a: flat, b: kernel as tf.Tensor2D, bias, activation });
  return x.rank === 2 ? y : tf.reshape(y, [...lead, outFeatures]);
}
