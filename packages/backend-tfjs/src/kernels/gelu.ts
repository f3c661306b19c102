// approximate "none": 0.5x(1 + erf(x/√2)). tfjs has no exact-gelu op, but tf.erf (Abramowitz &
// Stegun 7.1.26, |error| ≤ 1.5e-7) is well inside float32 tolerance on both cpu and wasm.
// approximate "tanh": 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
import * as tf from '@tensorflow/tfjs';
import { unaryKernel } from './unary.js';

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export const gelu = unaryKernel<'gelu'>((x, node) => {
  const inner =
    node.approximate === 'tanh'
      ? tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))
      : tf.erf(tf.mul(x, SQRT1_2));
  return tf.mul(tf.mul(x, 0.5), tf.add(1, inner));
});
