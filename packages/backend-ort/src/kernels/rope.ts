// Rotary position embedding on [batch, heads, time, headDim] (formula in the spec's ops/rope.ts):
// x' = x·cos + rotate(x)·sin on the first `dim` features, where rotate(x)_j = s_j·x[partner_j]:
// rotate_half pairs j with j ± dim/2 (s = −1 on the first half), interleaved pairs 2i with 2i + 1
// (s = −1 on the even ones). So rotate(x) is the halves swapped (Split, Concat) or, interleaved,
// one Gather along the features, and s is folded into the sin table. The tables [time, dim] are
// cos(p·f_j) and s_j·sin(p·f_j), f_j the pair's invFreq, at positions p = offset + t (offset: the
// optional int32 [1] second input, a decoder step's position; else 0): initializers (float64 on
// the host) when time is known and there is no offset, else computed in-graph from
// Range(time) + offset. Features from `dim` on are sliced off and concatenated back unchanged.
// Not used yet (a later step): com.microsoft RotaryEmbedding / GroupQueryAttention.
import { ropeFrequencies } from '@tessera/spec';
import { elemType, int } from '../graph-builder.js';
import type { Emitter } from './types.js';

/** Per rotated feature j: its frequency, its partner's index and the partner's sign in rotate(x). */
function pairing(dim: number, theta: number, interleaved: boolean) {
  const invFreq = ropeFrequencies({ dim, theta });
  const half = dim / 2;
  const freq: number[] = [];
  const partner: number[] = [];
  const sign: number[] = [];
  for (let j = 0; j < dim; j++) {
    const first = interleaved ? j % 2 === 0 : j < half;
    freq.push(invFreq[interleaved ? Math.floor(j / 2) : j % half]);
    partner.push(interleaved ? (first ? j + 1 : j - 1) : first ? j + half : j - half);
    sign.push(first ? -1 : 1);
  }
  return { freq, partner, sign };
}

export const rope: Emitter<'rope'> = ({ b, inputs: [x, offset], hint, node, inShapes }) => {
  const { dim } = node;
  const [, , time, headDim] = inShapes[0].shape;
  const { freq, partner, sign } = pairing(dim, node.theta, node.interleaved);
  let cos: string;
  let sin: string;
  if (typeof time === 'number' && offset === undefined) {
    const c = new Float32Array(time * dim);
    const s = new Float32Array(time * dim);
    for (let t = 0; t < time; t++) {
      for (let j = 0; j < dim; j++) {
        c[t * dim + j] = Math.cos(t * freq[j]);
        s[t * dim + j] = sign[j] * Math.sin(t * freq[j]);
      }
    }
    cos = b.floatInit(`${hint}_cos`, [time, dim], c);
    sin = b.floatInit(`${hint}_sin`, [time, dim], s);
  } else {
    // positions [T, 1] = Cast(Range(0, T, 1)) (+ Cast(offset)); angles [T, dim] = positions · f.
    // Whole numbers below 2^24 are exact in float32, so a step's angles are bit for bit those of
    // the same positions in a full pass.
    const limit =
      typeof time === 'number' ? b.i64([time], true) : b.dimScalar(x, 2, `${hint}_time_scalar`);
    const range = b.op1('Range', [b.i64([0], true), limit, b.i64([1], true)], `${hint}_range`);
    const float32 = { to: int(elemType('float32')) };
    let steps = b.op1('Cast', [range], `${hint}_range_f`, float32);
    if (offset !== undefined) {
      const start = b.op1('Cast', [offset], `${hint}_offset_f`, float32);
      steps = b.op1('Add', [steps, start], `${hint}_steps`);
    }
    const positions = b.op1('Unsqueeze', [steps, b.i64([1])], `${hint}_positions`);
    const f = b.floatInit(`${hint}_inv_freq`, [dim], Float32Array.from(freq));
    const angles = b.op1('Mul', [positions, f], `${hint}_angles`);
    cos = b.op1('Cos', [angles], `${hint}_cos`);
    const signs = b.floatInit(`${hint}_signs`, [dim], Float32Array.from(sign));
    sin = b.op1('Mul', [b.op1('Sin', [angles], `${hint}_sin_raw`), signs], `${hint}_sin`);
  }
  const partial = headDim !== dim;
  const features = b.i64([3]);
  const rot = partial ? b.op1('Slice', [x, b.i64([0]), b.i64([dim]), features], `${hint}_rot`) : x;
  // rotate_half's partners are the two halves swapped: a Split and a Concat copy contiguous runs
  // (measured faster on ORT CPU than a Gather along the innermost axis, which copies one element
  // at a time); interleaved pairs stay a Gather.
  let turned: string;
  if (node.interleaved) {
    turned = b.op1('Gather', [rot, b.i64(partner)], `${hint}_rotated`, { axis: int(3) });
  } else {
    const [first, second] = b.op(
      'Split',
      [rot, b.i64([dim / 2, dim / 2])],
      `${hint}_halves`,
      { axis: int(3) },
      { outputs: ['first', 'second'] },
    );
    turned = b.op1('Concat', [second, first], `${hint}_rotated`, { axis: int(3) });
  }
  const y = b.op1(
    'Add',
    [b.op1('Mul', [rot, cos], `${hint}_x_cos`), b.op1('Mul', [turned, sin], `${hint}_rotated_sin`)],
    partial ? `${hint}_turned` : hint,
  );
  if (!partial) return y;
  const end = typeof headDim === 'number' ? headDim : Number.MAX_SAFE_INTEGER;
  const pass = b.op1('Slice', [x, b.i64([dim]), b.i64([end]), features], `${hint}_pass`);
  return b.op1('Concat', [y, pass], hint, { axis: int(3) });
};
