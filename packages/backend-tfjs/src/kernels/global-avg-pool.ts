// Mean over every spatial dim, keeping them as size 1 (nn.AdaptiveAvgPool{1,2}d(1)), in the
// layout the input is in.
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';
import { range, Value } from './value.js';

export const globalAvgPool: Kernel<'globalAvgPool'> = {
  apply(_node, [x]) {
    const spatial = x.channelsLast ? range(1, x.rank - 1) : range(2, x.rank);
    return new Value(tf.mean(x.tensor, spatial, true), x.channelsLast);
  },
};
