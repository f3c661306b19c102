// x[..., start:end, ...] along `dim`, with the spec's Python slice bounds (sliceBounds).
import * as tf from '@tensorflow/tfjs';
import { sliceBounds } from '@tessera/spec';
import { axisOf } from './softmax.js';
import type { Kernel } from './types.js';

export const slice: Kernel<'slice'> = {
  apply(node, [input]) {
    const x = input.logical;
    const d = axisOf(node.dim, x.rank);
    const [start, end] = sliceBounds(node, x.shape[d]);
    const begin = x.shape.map((_, i) => (i === d ? start : 0));
    const size = x.shape.map((s, i) => (i === d ? end - start : s));
    return tf.slice(x, begin, size);
  },
};
