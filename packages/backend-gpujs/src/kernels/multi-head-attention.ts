// nn.MultiheadAttention self-attention on [B, T, E] in five kernels:
//   qkv = x W_inᵀ + b_in                      [B, T, 3E] (rows q, k, v)
//   score[b,h,tq,tk] = q·k / √d               [B, H, T, T], causal: keys after the query masked
//   p = softmax over tk (stable, see softmax-family)
//   ctx[b,t,h·d+j] = Σ_tk p[b,h,t,tk] · v[b,tk,h·d+j]
//   out = ctx W_outᵀ + b_out

import { affine } from './linear.js';
import { softmaxAlong } from './softmax-family.js';
import { lit, MINUS_HUGE } from './source.js';
import type { OpKernel } from './types.js';

export const multiHeadAttention: OpKernel<'multiHeadAttention'> = (node, [x], ctx) => {
  const [batch, time, e] = x.shape;
  const heads = node.numHeads;
  const d = e / heads;
  const bias = (name: string) => (node.bias ? ctx.weight(name) : null);
  const qkv = affine(ctx, x, ctx.weight('in_proj_weight'), bias('in_proj_bias'), e, 3 * e);
  // Masked scores are -3e38, so e^(s - max) underflows to exactly 0, as PyTorch's -inf does.
  const mask = node.causal ? `if (c3 > c2) {\nreturn ${MINUS_HUGE};\n}\n` : '';
  const scoreBody = `const c3 = i % ${lit(time)};
const c2 = Math.floor(i / ${lit(time)}) % ${lit(time)};
const c1 = Math.floor(i / ${lit(time * time)}) % ${lit(heads)};
const c0 = Math.floor(i / ${lit(heads * time * time)});
${mask}const qAt = (c0 * ${lit(time)} + c2) * ${lit(3 * e)} + c1 * ${lit(d)};
const kAt = (c0 * ${lit(time)} + c3) * ${lit(3 * e)} + ${lit(e)} + c1 * ${lit(d)};
let s = 0;
for (let j = 0; j < ${lit(d)}; j++) {
s += a0[qAt + j] * a0[kAt + j];
}
return s * ${lit(1 / Math.sqrt(d))};`;
  const scores = ctx.run([batch, heads, time, time], [qkv], scoreBody);
  const p = softmaxAlong(ctx, scores, -1, false);
  const mixBody = `const c2 = i % ${lit(e)};
const c1 = Math.floor(i / ${lit(e)}) % ${lit(time)};
const c0 = Math.floor(i / ${lit(time * e)});
const h = Math.floor(c2 / ${lit(d)});
const pAt = ((c0 * ${lit(heads)} + h) * ${lit(time)} + c1) * ${lit(time)};
let s = 0;
for (let k = 0; k < ${lit(time)}; k++) {
s += a1[pAt + k] * a0[(c0 * ${lit(time)} + k) * ${lit(3 * e)} + ${lit(2 * e)} + c2];
}
return s;`;
  const mixed = ctx.run([batch, time, e], [qkv, p], mixBody);
  return affine(ctx, mixed, ctx.weight('out_proj.weight'), bias('out_proj.bias'), e, e);
};
