// Mean over every spatial dim of [N, C, ...], keeping them as size 1.
import { lit } from './source.js';
import type { OpKernel } from './types.js';

export const globalAvgPool: OpKernel<'globalAvgPool'> = (_node, [x], ctx) => {
  const spatial = x.shape.slice(2).reduce((p, d) => p * d, 1);
  const body = `let s = 0;
for (let k = 0; k < ${lit(spatial)}; k++) {
s += a0[i * ${lit(spatial)} + k];
}
return s / ${lit(spatial)};`;
  return ctx.run([x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)], [x], body);
};
