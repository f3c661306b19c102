// nn.LayerNorm: (x - mean) / sqrt(var + eps) · weight + bias over the trailing N = Π normalizedShape
// elements, with the biased variance computed in a second pass around the mean (stable).
import { normShape } from '@tessera/spec';
import { reduceRows } from './reduce.js';
import { lit } from './source.js';
import type { OpKernel } from './types.js';

export const layerNorm: OpKernel<'layerNorm'> = (node, [x], ctx) => {
  const n = normShape(node.normalizedShape).reduce((p, d) => p * d, 1);
  const rows = x.shape.reduce((p, d) => p * d, 1) / n;
  const split: [number, number, number] = [rows, n, 1];
  const mean = reduceRows(ctx, x, split, {
    init: '0',
    step: 's += v;',
    finish: `return s / ${lit(n)};`,
  });
  const variance = reduceRows(
    ctx,
    x,
    split,
    { init: '0', step: 'const dv = v - a1[i];\ns += dv * dv;', finish: `return s / ${lit(n)};` },
    [mean],
  );
  const affine = node.elementwiseAffine;
  const withBias = affine && node.bias;
  const args = [
    x,
    mean,
    variance,
    ...(affine ? [ctx.weight('weight')] : []),
    ...(withBias ? [ctx.weight('bias')] : []),
  ];
  const body = `const row = Math.floor(i / ${lit(n)});
const j = i - row * ${lit(n)};
const y = (a0[i] - a1[row]) / Math.sqrt(a2[row] + ${lit(node.eps)});
return y${affine ? ' * a3[j]' : ''}${withBias ? ' + a4[j]' : ''};`;
  return ctx.run(x.shape, args, body);
};
