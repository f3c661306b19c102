// Scores [B, ..., keys] and lengths int32 [B]: −∞ where key j ≥ lengths[b] (PyTorch's
// key_padding_mask). As PyTorch's math path does (and as causalMask here), the mask is a bias of 0
// and −∞ added to the scores, [B, 1, ..., 1, keys], which broadcasts over the middle dims: no
// condition tensor of the scores' size, and the gradient passes straight through to the scores
// (the softmax after it zeroes it where they are −∞). Also the lengths helpers that mean and the
// recurrences share.
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';
import type { Value } from './value.js';

export const lengthMask: Kernel<'lengthMask'> = {
  apply(_node, [input, lengths]) {
    const x = input.logical;
    const [batch, keys] = [x.shape[0], x.shape[x.rank - 1]];
    const valid = hostLengths(lengths);
    const bias = new Float32Array(batch * keys);
    for (let b = 0; b < batch; b++)
      bias.fill(Number.NEGATIVE_INFINITY, b * keys + valid[b], (b + 1) * keys);
    const shape = [batch, ...x.shape.slice(1, -1).map(() => 1), keys];
    return tf.add(x, tf.tensor(bias, shape, 'float32'));
  },
};

/**
 * The lengths on the host. The masks built from them are made there too: tfjs's cpu and wasm
 * backends broadcast a comparison, tile or gather element by element, so a [100, 16, 256] mask
 * built on the device from [100, 1, 1] steps and [1, 16, 1] lengths took 0.15–0.5 s, more than
 * the LSTM it masked spent in its input projections; built here and uploaded, 3–16 ms. Lengths
 * are a model input that no device kernel reads, so on every tfjs backend the values are still on
 * the CPU and the read is a copy, not a device sync (as positionOf, value.ts).
 */
export function hostLengths(lengths: Value): Int32Array {
  return Int32Array.from(lengths.logical.dataSync());
}

/** bool of `shape` [B, T, ...]: true at the steps t < lengths[b] of row b. */
export function validMask(lengths: Int32Array, shape: readonly number[]): tf.Tensor {
  const [batch, time] = shape;
  const inner = shape.slice(2).reduce((p, d) => p * d, 1);
  const data = new Uint8Array(batch * time * inner);
  for (let b = 0; b < batch; b++) data.fill(1, b * time * inner, (b * time + lengths[b]) * inner);
  return tf.tensor(data, [...shape], 'bool');
}
