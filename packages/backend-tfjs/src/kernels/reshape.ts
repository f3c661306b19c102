// torch.reshape(x, shape); tf.reshape infers the one -1 the same way.
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';

export const reshape: Kernel<'reshape'> = {
  apply: (node, [x]) => tf.reshape(x.logical, node.shape),
};
