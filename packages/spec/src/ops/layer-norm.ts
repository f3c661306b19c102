// nn.LayerNorm: (x - mean) / sqrt(var + eps) · weight + bias over the last
// normalizedShape.length dims, with the biased variance.
import { z } from 'zod';
import {
  defineOp,
  epsilon,
  fail,
  float,
  nodeBase,
  ones,
  positiveInt,
  zeros,
  type WeightDecl,
} from './common.js';

export const normalizedShape = z.union([positiveInt, z.array(positiveInt).min(1).max(8)]);

export function normShape(s: number | number[]): number[] {
  return typeof s === 'number' ? [s] : [...s];
}

export function checkTrailing(shape: (number | string)[], norm: number[]): void {
  if (shape.length < norm.length)
    fail(`needs an input of rank ≥ ${norm.length}`, 'normalizedShape');
  const tail = shape.slice(shape.length - norm.length);
  tail.forEach((d, i) => {
    if (typeof d === 'number' && d !== norm[i]) {
      fail(
        `is [${norm.join(', ')}] but the input ends with [${tail.join(', ')}]`,
        'normalizedShape',
      );
    }
  });
}

export const layerNorm = defineOp({
  op: 'layerNorm',
  schema: z.strictObject({
    ...nodeBase,
    op: z.literal('layerNorm'),
    normalizedShape,
    eps: epsilon.default(1e-5),
    elementwiseAffine: z.boolean().default(true),
    bias: z.boolean().default(true),
  }),
  arity: [1, 1],
  infer(a, [x]) {
    checkTrailing(x.shape, normShape(a.normalizedShape));
    return { out: float([...x.shape]) };
  },
  weights(a) {
    const shape = normShape(a.normalizedShape);
    const w: WeightDecl[] = [];
    if (a.elementwiseAffine) {
      w.push({ name: 'weight', shape, init: ones });
      if (a.bias) w.push({ name: 'bias', shape, init: zeros });
    }
    return w;
  },
});
