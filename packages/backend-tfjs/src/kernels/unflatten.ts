// torch.unflatten(x, dim, sizes): dim `dim` (PyTorch layout) split into `sizes`, a reshape.
import * as tf from '@tensorflow/tfjs';
import { axisOf } from './softmax.js';
import type { Kernel } from './types.js';

export const unflatten: Kernel<'unflatten'> = {
  apply(node, [input]) {
    const x = input.logical;
    const d = axisOf(node.dim, x.rank);
    return tf.reshape(x, [...x.shape.slice(0, d), ...node.sizes, ...x.shape.slice(d + 1)]);
  },
};
