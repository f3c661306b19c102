// nn.LayerNorm: (x - mean) / sqrt(var + eps) · weight + bias over the last
// normalizedShape.length dims, with the biased variance.
import { z } from 'zod';
import {
  count,
  defineOp,
  epsilon,
  type FuzzDraw,
  fail,
  float,
  nodeBase,
  ones,
  pointwiseOver,
  positiveInt,
  type WeightDecl,
  weightPrefix,
  zeros,
} from './common.js';

export const normalizedShape = z
  .union([positiveInt, z.array(positiveInt).min(1).max(8)])
  .describe(
    '`normalized_shape`: the trailing dims normalised over, and the shape of the weight: a number for the last dim alone, or the sizes of the last few',
  );

/** normalizedShape as a list of dims (a number is the last dim alone). */
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

/** The last one or two dims of x (never the batch) as a normalizedShape. */
export function normFuzz(d: FuzzDraw, x: number[]): number[] {
  const k = x.length >= 3 ? d.int(1, 2) : 1;
  return x.slice(x.length - k);
}

export const layerNorm = defineOp({
  op: 'layerNorm',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z
      .literal('layerNorm')
      .describe('nn.LayerNorm: (x − mean) / √(var + eps) · weight + bias over the trailing dims'),
    normalizedShape,
    eps: epsilon
      .default(1e-5)
      .describe('`eps` of nn.LayerNorm: added to the variance before the square root'),
    elementwiseAffine: z
      .boolean()
      .default(true)
      .describe(
        '`elementwise_affine` of nn.LayerNorm: a learned weight (and bias) of normalizedShape; false, neither',
      ),
    bias: z
      .boolean()
      .default(true)
      .describe('`bias` of nn.LayerNorm: the learned bias, when elementwiseAffine is on'),
  }),
  arity: [1, 1],
  decode: (a, [x]) =>
    pointwiseOver(
      normShape(a.normalizedShape).map((_, i) => -1 - i),
      x.shape.length,
      'normalises',
    ),
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
  // mean, centre, square, variance, normalise, scale, shift
  flops: (_a, { out }) => 7 * count(out),
  fuzz(d, x) {
    const normalizedShape = normFuzz(d, x);
    return { attrs: { normalizedShape, elementwiseAffine: d.bool(), bias: d.bool() } };
  },
  examples: [
    {
      input: { shape: ['b', 3, 4] },
      node: { normalizedShape: [3, 4] },
      shape: ['b', 3, 4],
      weights: { 'n.weight': [3, 4], 'n.bias': [3, 4] },
    },
    {
      input: { shape: ['b', 4] },
      node: { normalizedShape: 4, elementwiseAffine: false },
      shape: ['b', 4],
      weights: {},
    },
  ],
});
