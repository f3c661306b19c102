// torch.cat(inputs, dim).
import * as tf from '@tensorflow/tfjs';
import { axisOf } from './softmax.js';
import type { Kernel } from './types.js';

export const concat: Kernel<'concat'> = {
  apply: (node, inputs) =>
    tf.concat(
      inputs.map((x) => x.logical),
      axisOf(node.dim, inputs[0].rank),
    ),
};
