// Rotary position embedding (RoPE, Su et al.) on per-head features [batch, heads, time, headDim],
// as Hugging Face's LLaMA applies it to q and k. At position p (the time index) and for i < dim/2,
// invFreq[i] = theta^(−2i/dim) and the angle is p·invFreq[i]. Only the first `dim` features turn
// (partial rotary); the rest pass through. An optional second input, int32 [1], is the position of
// time index 0 (a decoder's step starts at its position): the angle is (offset + t)·invFreq[i].
//   default pairing (transformers' rotate_half): feature i pairs with i + dim/2,
//     x' = x·cos(emb) + rotate_half(x)·sin(emb), emb = concat(angles, angles),
//     rotate_half(x) = concat(−x[dim/2:dim], x[:dim/2]);
//   interleaved (GPT-J): features 2i and 2i+1 pair with angle i,
//     (x₂ᵢ, x₂ᵢ₊₁) → (x₂ᵢ·cos − x₂ᵢ₊₁·sin, x₂ᵢ₊₁·cos + x₂ᵢ·sin).
import { z } from 'zod';
import { count, defineOp, fail, float, nodeBase, positiveInt, requirePosition } from './common.js';

/** `theta` and `interleaved`, shared with the attention op's `rope`. */
export const ropeTheta = z
  .number()
  .gt(1)
  .max(1e12)
  .default(10000)
  .describe("the base of the rotation frequencies theta^(−2i/dim) (Hugging Face's rope_theta)");
export const ropeInterleaved = z
  .boolean()
  .default(false)
  .describe(
    "pairs features 2i and 2i+1 (GPT-J's layout) instead of i and i + dim/2 (transformers' rotate_half, LLaMA's)",
  );

export const rope = defineOp({
  op: 'rope',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('rope')
      .describe(
        'rotary position embedding (RoPE) on per-head features [batch, heads, time, headDim], as LLaMA applies it to q and k; an optional int32 [1] second input is the position of time 0',
      ),
    dim: positiveInt.describe(
      'the features turned, at the start of each head: even, at most headDim; the rest pass through (partial rotary)',
    ),
    theta: ropeTheta,
    interleaved: ropeInterleaved,
  }),
  arity: [1, 2],
  inputDtype: ['float32', 'int32'],
  infer(a, [x, offset]) {
    requirePosition(offset, 'first');
    if (x.shape.length !== 4)
      fail(`expects per-head features [batch, heads, time, headDim], got rank ${x.shape.length}`);
    const headDim = x.shape[3];
    if (a.dim % 2 !== 0) fail(`${a.dim} is odd; rotary features turn in pairs`, 'dim');
    if (typeof headDim === 'number' && a.dim > headDim)
      fail(`${a.dim} is more than the head size ${headDim}`, 'dim');
    return { out: float([...x.shape]) };
  },
  flops(a, { out }) {
    // Per rotated feature: x·cos + partner·sin (2 multiplies, 1 add); the tables are constants.
    return (3 * count(out) * a.dim) / out[3];
  },
  fuzz(d, x) {
    if (x.length !== 4 || x[3] < 2) return undefined;
    const dim = 2 * d.int(1, Math.floor(x[3] / 2));
    return {
      attrs: { dim, theta: d.pick([10000, 500000, 7.5]), interleaved: d.bool() },
    };
  },
  decode: () =>
    'turns [batch, heads, time, headDim] features, and decoding follows time at dim 1 (an attention applies rope itself)',
  examples: [
    { input: { shape: ['b', 2, 't', 8] }, node: { dim: 8 }, shape: ['b', 2, 't', 8] },
    {
      input: { shape: [1, 2, 3, 4] },
      extraInputs: [{ dtype: 'int32', shape: [1] }],
      node: { dim: 4 },
      shape: [1, 2, 3, 4],
    },
    {
      input: { shape: [1, 4, 3, 6] },
      node: { dim: 4, theta: 500000, interleaved: true },
      shape: [1, 4, 3, 6],
    },
  ],
});

/** invFreq[i] = theta^(−2i/dim) for i < dim/2. */
export function ropeFrequencies(a: { dim: number; theta: number }): number[] {
  return Array.from({ length: a.dim / 2 }, (_, i) => a.theta ** ((-2 * i) / a.dim));
}
