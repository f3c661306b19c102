// nn.RMSNorm: x / sqrt(mean(x²) + eps) · weight over the last normalizedShape.length dims.
// eps defaults to float32's machine epsilon, what PyTorch uses when eps=None.
import { z } from 'zod';
import {
  count,
  defineOp,
  epsilon,
  float,
  nodeBase,
  ones,
  pointwiseOver,
  weightPrefix,
} from './common.js';
import { checkTrailing, normalizedShape, normFuzz, normShape } from './layer-norm.js';

export const rmsNorm = defineOp({
  op: 'rmsNorm',
  schema: z.strictObject({
    ...nodeBase,
    weightPrefix,
    op: z
      .literal('rmsNorm')
      .describe("nn.RMSNorm (LLaMA's): x / √(mean(x²) + eps) · weight over the trailing dims"),
    normalizedShape,
    eps: epsilon
      .default(2 ** -23)
      .describe(
        "`eps` of nn.RMSNorm: added to the mean square; the default, float32's machine epsilon, is what PyTorch uses for eps=None",
      ),
    elementwiseAffine: z
      .boolean()
      .default(true)
      .describe('`elementwise_affine` of nn.RMSNorm: a learned weight of normalizedShape'),
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
    return a.elementwiseAffine
      ? [{ name: 'weight', shape: normShape(a.normalizedShape), init: ones }]
      : [];
  },
  // square, mean, root, normalise, scale
  flops: (_a, { out }) => 5 * count(out),
  fuzz: (d, x) => ({ attrs: { normalizedShape: normFuzz(d, x), elementwiseAffine: d.bool() } }),
  examples: [
    {
      input: { shape: ['b', 6] },
      node: { normalizedShape: [6] },
      shape: ['b', 6],
      weights: { 'n.weight': [6] },
    },
  ],
});
