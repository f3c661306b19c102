// Elementwise ops share one factory. They work in whatever layout their input is in, so a
// channels-last conv stack stays channels-last through its activations.
import type * as tf from '@tensorflow/tfjs';
import type { NodeOf } from '@tessera/spec';
import type { Kernel } from './types.js';
import { Value } from './value.js';

type UnaryOp = 'relu' | 'gelu' | 'tanh' | 'sigmoid' | 'silu' | 'dropout' | 'scale';

export function unaryKernel<O extends UnaryOp>(
  f: (x: tf.Tensor, node: NodeOf<O>) => tf.Tensor,
): Kernel<O> {
  return { apply: (node, [x]) => new Value(f(x.tensor, node), x.channelsLast) };
}
