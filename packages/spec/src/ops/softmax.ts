// softmax(x)_i = e^(x_i - max x) / Σ_j e^(x_j - max x) along `dim`.
import { z } from 'zod';
import { anyInt, axis, defineOp, float, nodeBase } from './common.js';

export function softmaxFamily<const Name extends 'softmax' | 'logSoftmax'>(name: Name) {
  return defineOp({
    op: name,
    schema: z.strictObject({ ...nodeBase, op: z.literal(name), dim: anyInt.default(-1) }),
    arity: [1, 1],
    infer(a, [x]) {
      axis(a.dim, x.shape.length);
      return { out: float([...x.shape]) };
    },
  });
}

export const softmax = softmaxFamily('softmax');
