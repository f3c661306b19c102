// nn.Embedding: rows of the table picked by int32 ids (range-checked by checkInputs).
import * as tf from '@tensorflow/tfjs';
import type { Kernel } from './types.js';

export const embedding: Kernel<'embedding'> = {
  apply: (_node, [ids], w) => tf.gather(w.get('weight'), ids.logical),
};
