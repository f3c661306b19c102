// x + P[:T] over [batch, time, d]. Learned: P is the weight [maxLength, d]. Sinusoidal
// (Vaswani et al.): P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(t / 10000^(2i/d)),
// computed once in float64 at prepare time.
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';

export function sinusoidalTable(length: number, d: number): Float32Array {
  const data = new Float32Array(length * d);
  for (let t = 0; t < length; t++) {
    for (let j = 0; j < d; j++) {
      const i2 = j - (j % 2); // 2i for both columns 2i and 2i+1
      const angle = t / 10000 ** (i2 / d);
      data[t * d + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return data;
}

export const positionalEmbedding: Kernel<'positionalEmbedding'> = {
  prepare(node, w) {
    const table =
      node.kind === 'learned'
        ? w.get('weight')
        : tf.tensor2d(sinusoidalTable(node.maxLength, node.embeddingDim), [
            node.maxLength,
            node.embeddingDim,
          ]);
    return { table };
  },
  apply(node, [x], w) {
    const t = x.logical.shape[1]!;
    // checkInputs refuses time > maxLength; forward() alone (training) gets tf's slice error.
    return tf.add(x.logical, tf.slice(w.get('table'), [0, 0], [t, node.embeddingDim]));
  },
};
