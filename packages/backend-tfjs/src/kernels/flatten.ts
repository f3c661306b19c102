// torch.flatten(x, startDim, endDim): merges dims startDim..endDim (PyTorch layout) into one.
import * as tf from '@tensorflow/tfjs';
import { axisOf } from './softmax.js';
import type { Kernel } from './types.js';

export const flatten: Kernel<'flatten'> = {
  apply(node, [input]) {
    const x = input.logical;
    const s = axisOf(node.startDim, x.rank);
    const e = axisOf(node.endDim, x.rank);
    const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
    return tf.reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
  },
};
