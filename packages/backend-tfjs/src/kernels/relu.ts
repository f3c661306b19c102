// relu(x) = max(x, 0), NaN kept, as torch.relu. Not tf.relu: tfjs-backend-wasm's (XNNPACK) takes
// the max of the bits as integers, so a NaN with its sign bit set, the NaN that x86 and wasm
// arithmetic make (inf − inf, 0·inf), comes out 0. tf.maximum keeps its first operand's NaN on
// cpu and wasm (measured) and checks isnan in webgl's shader. The gradient is PyTorch's
// (threshold_backward): 0 where x ≤ 0, dy elsewhere (at NaN too), where maximum's own would pass
// dy at x = 0.
import * as tf from '@tensorflow/tfjs';
import { unaryKernel } from './unary.js';

// customGrad passes the inputs and then the save function, typed as one list.
const customRelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.maximum(x, 0),
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) =>
      tf.where(tf.lessEqual(saved, 0), tf.zerosLike(dy), dy),
  };
});

export function reluKeepingNaN<T extends tf.Tensor>(x: T): T {
  return customRelu(x) as T;
}

export const relu = unaryKernel<'relu'>((x) => reluKeepingNaN(x));
