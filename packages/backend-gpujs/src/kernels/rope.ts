// Rotary position embedding on [batch, heads, time, headDim] (formula in the spec's ops/rope.ts):
// x'_j = x_j·cos(t·f_j) + s_j·x_partner(j)·sin(t·f_j) on the first `dim` features, f_j the pair's
// invFreq. rotate_half pairs j with j ± dim/2 (s = −1 on the first half); interleaved pairs 2i
// with 2i + 1 (s = −1 on the even ones). Plans are built per bound shape, so time is known: the
// tables cos [time, dim] and s·sin [time, dim] are computed here in float64 and passed as
// arguments; the kernel only multiplies and adds. Features from `dim` on are copied.
import { ropeFrequencies } from '@tessera/spec';
import { coords, lit } from './source.js';
import type { OpKernel } from './types.js';

export const rope: OpKernel<'rope'> = (node, [x], ctx) => {
  const { dim, interleaved } = node;
  const [, , time, headDim] = x.shape;
  const invFreq = ropeFrequencies(node);
  const half = dim / 2;
  const cos = new Float32Array(time * dim);
  const sin = new Float32Array(time * dim);
  for (let t = 0; t < time; t++) {
    for (let j = 0; j < dim; j++) {
      const first = interleaved ? j % 2 === 0 : j < half;
      const angle = t * invFreq[interleaved ? Math.floor(j / 2) : j % half];
      cos[t * dim + j] = Math.cos(angle);
      sin[t * dim + j] = (first ? -1 : 1) * Math.sin(angle);
    }
  }
  const outer = x.shape[0] * x.shape[1];
  // c1 is the position, c2 the feature; p the flat index of its partner.
  const partner = interleaved
    ? 'const p = i + 1 - 2 * (c2 % 2);'
    : `const p = c2 < ${lit(half)} ? i + ${lit(half)} : i - ${lit(half)};`;
  const body = `${coords('c', 'i', [outer, time, headDim])}
${dim < headDim ? `if (c2 >= ${lit(dim)}) {\nreturn a0[i];\n}\n` : ''}${partner}
const k = c1 * ${lit(dim)} + c2;
return a0[i] * a1[k] + a0[p] * a2[k];`;
  return ctx.run(x.shape, [x, cos, sin], body);
};
