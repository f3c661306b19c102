// torch.mean(x, dim, keepdim).
import * as tf from '@tensorflow/tfjs';
import { meanAxes } from '@tessera/spec';
import type { Kernel } from './types.js';

export const mean: Kernel<'mean'> = {
  apply: (node, [x]) => tf.mean(x.logical, meanAxes(node.dim, x.rank), node.keepdim),
};
