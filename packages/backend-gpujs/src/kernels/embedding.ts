// nn.Embedding: out[t, d] = W[ids[t], d]. Ids arrive as float32, exact below 2^24 (checked at compile).
import { lit } from './source.js';
import type { OpKernel } from './types.js';

export const embedding: OpKernel<'embedding'> = (node, [ids], ctx) => {
  const d = node.embeddingDim;
  const body = `const t = Math.floor(i / ${lit(d)});
return a1[a0[t] * ${lit(d)} + (i - t * ${lit(d)})];`;
  return ctx.run([...ids.shape, d], [ids, ctx.weight('weight')], body);
};
