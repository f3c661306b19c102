// x + P[:T] over [batch, time, d]. Learned: P is the weight [maxLength, d]. Sinusoidal
// (Vaswani et al.): P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(t / 10000^(2i/d)),
// computed once in float64 at prepare time. An optional second input, int32 [1], is the position
// of time index 0 (a decoder's step): x + P[offset : offset + T].
import * as tf from '@tensorflow/tfjs';
import { InputError } from '@tessera/spec';
import type { Kernel } from './types.js';
import { positionOf } from './value.js';

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
  apply(node, [x, offset], w) {
    const t = x.logical.shape[1]!;
    const first = positionOf(offset);
    // checkInputs refuses time > maxLength, but not an offset that runs past it.
    if (first < 0 || first + t > node.maxLength)
      throw new InputError(
        `the sequence has ${t} steps from position ${first} but positional embedding ${JSON.stringify(node.id)} has maxLength ${node.maxLength}`,
        node.input[0],
      );
    return tf.add(x.logical, tf.slice(w.get('table'), [first, 0], [t, node.embeddingDim]));
  },
};
