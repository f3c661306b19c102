// torch.permute(x, dims): output dim i is input dim dims[i] (negative dims count from the end).
import * as tf from '@tensorflow/tfjs';
import { axisOf } from './softmax.js';
import type { Kernel } from './types.js';

export const permute: Kernel<'permute'> = {
  apply: (node, [x]) =>
    tf.transpose(
      x.logical,
      node.dims.map((d) => axisOf(d, x.rank)),
    ),
};
