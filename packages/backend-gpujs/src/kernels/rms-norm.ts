// nn.RMSNorm: x / sqrt(mean(x²) + eps) · weight over the trailing N = Π normalizedShape elements.
import { normShape } from '@tessera/spec';
import { reduceRows } from './reduce.js';
import { lit } from './source.js';
import type { OpKernel } from './types.js';

export const rmsNorm: OpKernel<'rmsNorm'> = (node, [x], ctx) => {
  const n = normShape(node.normalizedShape).reduce((p, d) => p * d, 1);
  const rows = x.shape.reduce((p, d) => p * d, 1) / n;
  const meanSquare = reduceRows(ctx, x, [rows, n, 1], {
    init: '0',
    step: 's += v * v;',
    finish: `return s / ${lit(n)};`,
  });
  const affine = node.elementwiseAffine;
  const body = `const row = Math.floor(i / ${lit(n)});
return a0[i] / Math.sqrt(a1[row] + ${lit(node.eps)})${affine ? ` * a2[i - row * ${lit(n)}]` : ''};`;
  return ctx.run(x.shape, affine ? [x, meanSquare, ctx.weight('weight')] : [x, meanSquare], body);
};
