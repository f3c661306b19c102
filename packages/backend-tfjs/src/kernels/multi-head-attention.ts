// nn.MultiheadAttention(batch_first=True), self-attention on x [B, T, E] with H heads of size
// dh = E / H: [Q K V] = x W_inᵀ + b_in, per head softmax(Q Kᵀ / √dh + mask) V, then out_proj.
// The 1/√dh scale is folded into the Q rows of the input projection at prepare time
// ((xW_qᵀ + b_q)/√dh = x(W_q/√dh)ᵀ + b_q/√dh). `causal` adds -∞ to key positions after the query.
import * as tf from '@tensorflow/tfjs';
import { dense } from './linear.js';
import type { Kernel } from './types.js';

export const multiHeadAttention: Kernel<'multiHeadAttention'> = {
  prepare(node, w) {
    const e = node.embedDim;
    const scale = 1 / Math.sqrt(e / node.numHeads);
    // Rows 0..E-1 of in_proj are Q: scale those, leave K and V.
    const rowScale = tf.concat([tf.fill([e], scale), tf.ones([2 * e])]);
    const out: Record<string, tf.Tensor> = {
      inKernel: tf.transpose(tf.mul(w.get('in_proj_weight'), tf.reshape(rowScale, [3 * e, 1]))),
      outKernel: tf.transpose(w.get('out_proj.weight')),
    };
    const inBias = w.optional('in_proj_bias');
    const outBias = w.optional('out_proj.bias');
    if (inBias !== undefined) out.inBias = tf.mul(inBias, rowScale);
    if (outBias !== undefined) out.outBias = outBias;
    return out;
  },
  apply(node, [input], w) {
    const x = input.logical;
    const [b, t, e] = x.shape;
    const h = node.numHeads;
    const dh = e / h;
    const qkv = dense(x, w.get('inKernel'), w.optional('inBias'), 3 * e); // [B, T, 3E]
    // [B, T, 3, H, dh] → [3, B, H, T, dh]
    const [q, k, v] = tf.unstack(tf.transpose(tf.reshape(qkv, [b, t, 3, h, dh]), [2, 0, 3, 1, 4]));
    let scores = tf.matMul(q, k, false, true); // [B, H, T, T], already scaled
    if (node.causal) scores = tf.add(scores, causalMask(t));
    const context = tf.matMul(tf.softmax(scores), v); // [B, H, T, dh]
    const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [b, t, e]);
    return dense(merged, w.get('outKernel'), w.optional('outBias'), e);
  },
};

/** [T, T]: 0 where key ≤ query, -∞ above the diagonal (PyTorch's upper-triangular mask). */
export function causalMask(t: number): tf.Tensor2D {
  const data = new Float32Array(t * t);
  for (let i = 0; i < t; i++) data.fill(Number.NEGATIVE_INFINITY, i * t + i + 1, (i + 1) * t);
  return tf.tensor2d(data, [t, t]);
}
