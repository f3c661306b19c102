// torch.matmul for operands of rank ≥ 2: [..., n, k] · [..., k, m] → [..., n, m], batch dims
// broadcast. tfjs 4.22's BatchMatMul flattens the batch dims and indexes each operand modulo its
// own batch size, which is right only when the batch shapes are equal or one is all ones, and its
// gradient never sums over broadcast dims; so unequal batch shapes are broadcast explicitly first
// (tf.broadcastTo, whose gradient does that sum).
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';

export const matmul: Kernel<'matmul'> = {
  apply(_node, [x, y]) {
    const a = x.logical;
    const b = y.logical;
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    if (same(batchA, batchB)) return tf.matMul(a, b);
    const [n, k] = a.shape.slice(-2);
    const m = b.shape[b.rank - 1];
    // A shared matrix (no batch, or batch dims of 1): one 2-D product over a's flattened rows.
    if (batchB.every((d) => d === 1) && batchA.length >= batchB.length) {
      const flat = tf.matMul(tf.reshape(a, [-1, k]), tf.reshape(b, [k, m]));
      return tf.reshape(flat, [...batchA, n, m]);
    }
    const batch = broadcastBatch(batchA, batchB);
    return tf.matMul(tf.broadcastTo(a, [...batch, n, k]), tf.broadcastTo(b, [...batch, k, m]));
  },
};

function same(p: readonly number[], q: readonly number[]): boolean {
  return p.length === q.length && p.every((d, i) => d === q[i]);
}

/** NumPy's broadcast of two batch shapes (the spec's shape rule already checked they fit). */
function broadcastBatch(p: readonly number[], q: readonly number[]): number[] {
  const r = Math.max(p.length, q.length);
  const at = (s: readonly number[], i: number) => s[i - (r - s.length)] ?? 1;
  return Array.from({ length: r }, (_, i) => Math.max(at(p, i), at(q, i)));
}
