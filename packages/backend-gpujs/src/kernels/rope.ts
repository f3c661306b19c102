// Rotary position embedding on [batch, heads, time, headDim] (formula in the spec's ops/rope.ts):
// x'_j = x_j·cos(p·f_j) + s_j·x_partner(j)·sin(p·f_j) on the first `dim` features, p = offset + t,
// f_j the pair's invFreq. rotate_half pairs j with j ± dim/2 (s = −1 on the first half);
// interleaved pairs 2i with 2i + 1 (s = −1 on the even ones). The tables cos [time, dim] and
// s·sin [time, dim] are computed on the host in float64 and passed as arguments; the kernel only
// multiplies and adds. Without an offset they are constants of the plan; with one (a decoder's
// position, an int32 [1] model input) they are run-time arguments made from its value at every
// run, so one kernel serves every position. Features from `dim` on are copied.
import { InputError, ropeFrequencies } from '@tessera/spec';
import { coords, lit } from './source.js';
import type { Arg, OpKernel } from './types.js';

/** Positions travel as float32, exact below 2^24. */
const MAX_POSITION = 2 ** 24;

export const rope: OpKernel<'rope'> = (node, [x, offset], ctx) => {
  const { dim, interleaved } = node;
  const [, , time, headDim] = x.shape;
  const invFreq = ropeFrequencies(node);
  const half = dim / 2;
  const tables = (first: number) => {
    const cos = new Float32Array(time * dim);
    const sin = new Float32Array(time * dim);
    for (let t = 0; t < time; t++) {
      for (let j = 0; j < dim; j++) {
        const isFirst = interleaved ? j % 2 === 0 : j < half;
        const angle = (first + t) * invFreq[interleaved ? Math.floor(j / 2) : j % half];
        cos[t * dim + j] = Math.cos(angle);
        sin[t * dim + j] = (isFirst ? -1 : 1) * Math.sin(angle);
      }
    }
    return { cos, sin };
  };
  let args: Arg[];
  if (offset === undefined) {
    const { cos, sin } = tables(0);
    args = [x, cos, sin];
  } else {
    // cos and sin are two arguments made from one position: computed once per run.
    let last: { at: number; cos: Float32Array; sin: Float32Array } | undefined;
    const at = (input: Float32Array) => {
      const first = input[0];
      if (!(Math.abs(first) < MAX_POSITION))
        throw new InputError(`is ${first}: positions travel as float32, below 2^24`, node.input[1]);
      if (last?.at !== first) last = { at: first, ...tables(first) };
      return last;
    };
    const length = time * dim;
    args = [
      x,
      { from: offset, length, make: (p) => at(p).cos },
      { from: offset, length, make: (p) => at(p).sin },
    ];
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
  return ctx.run(x.shape, args, body);
};
