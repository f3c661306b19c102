// x + P[:T] over [batch, time, d]. Learned: P is the weight [maxLength, d]. Sinusoidal
// (Vaswani et al.): P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(t / 10000^(2i/d)).
// A second input [1] is the position of time index 0: x + P[offset : offset + T].
import { InputError } from '@tessera/spec';
import type { F64Tensor } from '../tensor.js';
import type { Kernel } from './types.js';

export function sinusoidalTable(length: number, d: number): F64Tensor {
  const data = new Float64Array(length * d);
  for (let t = 0; t < length; t++) {
    for (let j = 0; j < d; j++) {
      const i2 = j - (j % 2); // 2i for both columns 2i and 2i+1
      const angle = t / 10000 ** (i2 / d);
      data[t * d + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return { shape: [length, d], data };
}

export const positionalEmbedding: Kernel<'positionalEmbedding'> = (node, [x, offset], ctx) => {
  const [batch, time, d] = x.shape;
  const first = offset === undefined ? 0 : offset.data[0];
  if (first < 0 || first + time > node.maxLength) {
    throw new InputError(
      `the sequence has ${time} steps${first === 0 ? '' : ` from position ${first}`} but positional embedding ${JSON.stringify(node.id)} has maxLength ${node.maxLength}`,
      node.input[0],
    );
  }
  const table =
    node.kind === 'learned' ? ctx.weight(node, 'weight') : sinusoidalTable(first + time, d);
  const data = new Float64Array(x.data.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      for (let j = 0; j < d; j++) {
        const k = (b * time + t) * d + j;
        data[k] = x.data[k] + table.data[(first + t) * d + j];
      }
    }
  }
  return { shape: [...x.shape], data };
};
