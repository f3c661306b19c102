// nn.BatchNorm in eval mode: (x - running_mean[c]) / sqrt(running_var[c] + eps) · weight[c] + bias[c],
// c the channel (dim 1) of [N, C, ...].
import { around, lit } from './source.js';
import type { OpKernel } from './types.js';

export const batchNorm: OpKernel<'batchNorm'> = (node, [x], ctx) => {
  const [, channels, inner] = around(x.shape, 1);
  const args = [
    x,
    ctx.weight('running_mean'),
    ctx.weight('running_var'),
    ...(node.affine ? [ctx.weight('weight'), ctx.weight('bias')] : []),
  ];
  const channel =
    inner === 1 ? `i % ${lit(channels)}` : `Math.floor(i / ${lit(inner)}) % ${lit(channels)}`;
  const body = `const ch = ${channel};
const y = (a0[i] - a1[ch]) / Math.sqrt(a2[ch] + ${lit(node.eps)});
return y${node.affine ? ' * a3[ch] + a4[ch]' : ''};`;
  return ctx.run(x.shape, args, body);
};
