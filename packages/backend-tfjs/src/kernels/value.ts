// A value flowing between nodes. Image-like tensors (rank 3 and 4) can be held channels-last
// ([N, L, C] / [N, H, W, C], what tfjs convolutions and pools want) so that a stack of
// conv/pool/batchNorm/relu/add nodes transposes only at its boundaries. Every other kernel reads
// `logical`, the PyTorch layout ([N, C, L] / [N, C, H, W]); each conversion is done at most once.
import * as tf from '@tensorflow/tfjs';

export class Value {
  readonly channelsLast: boolean;
  #logical?: tf.Tensor;
  #nhwc?: tf.Tensor;

  /** `tensor` is in PyTorch layout unless `channelsLast` (only meaningful for rank ≥ 3). */
  constructor(
    readonly tensor: tf.Tensor,
    channelsLast = false,
  ) {
    this.channelsLast = channelsLast && tensor.rank >= 3;
    if (this.channelsLast) this.#nhwc = tensor;
    else this.#logical = tensor;
  }

  get rank(): number {
    return this.tensor.rank;
  }

  /** PyTorch layout: [N, C, ...spatial]. */
  get logical(): tf.Tensor {
    if (this.#logical === undefined) {
      // [N, ...S, C] → [N, C, ...S]
      const r = this.tensor.rank;
      this.#logical = permute(this.tensor, [0, r - 1, ...range(1, r - 1)]);
    }
    return this.#logical;
  }

  /** Channels-last layout: [N, ...spatial, C]. */
  get nhwc(): tf.Tensor {
    if (this.#nhwc === undefined) {
      // [N, C, ...S] → [N, ...S, C]
      const r = this.tensor.rank;
      this.#nhwc = permute(this.tensor, [0, ...range(2, r), 1]);
    }
    return this.#nhwc;
  }
}

/** tf.transpose, or a free reshape when the axes that move all have size 1 (one channel, a
 *  1×1 image): then the elements' order does not change. */
export function permute(t: tf.Tensor, perm: number[]): tf.Tensor {
  const moved = perm.filter((axis) => t.shape[axis] !== 1);
  if (moved.every((axis, i) => i === 0 || moved[i - 1] < axis)) {
    return tf.reshape(
      t,
      perm.map((axis) => t.shape[axis]),
    );
  }
  return tf.transpose(t, perm);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * The value of an int32 [1] position input (rope's and positionalEmbedding's offset), 0 when
 * absent. Read back to the host because both index host-side tables (rope's cos and sin are
 * computed in float64, as the reference does: a float32 p·invFreq on the device would be off by
 * about p·1e-7 radians) and positionalEmbedding must refuse an offset past maxLength. It is a
 * model input uploaded by run and used by no device kernel, so every tfjs backend still holds
 * its value on the CPU: the read is a copy, not a device sync.
 */
export function positionOf(offset: Value | undefined): number {
  if (offset === undefined) return 0;
  return offset.logical.dataSync()[0];
}
