// The causal mask on scores [..., tq, tk]: element (q, j) becomes −∞ when key j comes after query
// q, which sits at position q + tk − tq. −∞ is the argument a1 (ctx.minusInfinity: exact −∞ on cpu
// and webasm, −3e38 on webgl2 and webgpu), never source text; a softmax after it gives exact
// zeros either way, as e^(−3e38 − max) underflows to 0.
import { coords } from './source.js';
import type { OpKernel } from './types.js';

export const causalMask: OpKernel<'causalMask'> = (_node, [x], ctx) => {
  const [tq, tk] = x.shape.slice(-2);
  const outer = x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  // Shape numbers through n: a decoder step's tk grows with the cache.
  return ctx.run(
    x.shape,
    [x, ctx.minusInfinity],
    (n) => `${coords('c', 'i', [outer, tq, tk], n)}
if (c2 > c1 + ${n(tk - tq)}) {
return a1;
}
return a0[i];`,
  );
};
