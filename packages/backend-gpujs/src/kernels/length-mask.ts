// The key padding mask on scores [B, ..., keys] given lengths [B] (§6.3): element [b, ..., j]
// becomes −∞ where key j ≥ lengths[b]. Seen as [B, rows, keys]; the lengths are the argument a1
// (int32 values carried as float32, exact), −∞ the argument a2 (ctx.minusInfinity, as in
// causal-mask.ts), never source text.
import { coords } from './source.js';
import type { OpKernel } from './types.js';

export const lengthMask: OpKernel<'lengthMask'> = (_node, [x, lengths], ctx) => {
  const batch = x.shape[0];
  const keys = x.shape[x.shape.length - 1];
  const rows = x.shape.slice(1, -1).reduce((p, d) => p * d, 1);
  return ctx.run(
    x.shape,
    [x, lengths, ctx.minusInfinity],
    (n) => `${coords('c', 'i', [batch, rows, keys], n)}
if (c2 >= a1[c0]) {
return a2;
}
return a0[i];`,
  );
};
