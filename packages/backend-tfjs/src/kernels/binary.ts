// add and mul with NumPy broadcasting. Two channels-last operands of the same rank stay
// channels-last (both are permuted the same way, so broadcasting is unchanged); any other mix
// works in PyTorch layout.
import type * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';
import { Value } from './value.js';

export function binaryKernel<O extends 'add' | 'mul'>(
  f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
): Kernel<O> {
  return {
    apply(_node, [a, b]) {
      if (a.channelsLast && b.channelsLast && a.rank === b.rank)
        return new Value(f(a.tensor, b.tensor), true);
      return f(a.logical, b.logical);
    },
  };
}
