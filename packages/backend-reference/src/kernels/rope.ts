// Rotary position embedding on [batch, heads, time, headDim] (formula in the spec's ops/rope.ts):
// at position p (the time index) pair j of the first `dim` features turns by p·invFreq[j]; the
// default pairing is (j, j + dim/2) (transformers' rotate_half), interleaved is (2j, 2j + 1)
// (GPT-J). Features from `dim` on are copied. A second input [1] offsets the positions (p = offset + t).
import { ropeFrequencies } from '@tessera/spec';
import type { Kernel } from './types.js';

export const rope: Kernel<'rope'> = (node, [x, offset]) => {
  const [, , time, headDim] = x.shape;
  const first = offset === undefined ? 0 : offset.data[0];
  const invFreq = ropeFrequencies(node);
  const half = node.dim / 2;
  const data = x.data.slice();
  for (let row = 0; row < x.data.length / headDim; row++) {
    const p = first + (row % time);
    const at = row * headDim;
    for (let j = 0; j < half; j++) {
      // a is the pair's first feature, b its partner: x'_a = x_a·cos − x_b·sin, x'_b = x_b·cos + x_a·sin.
      const [a, b] = node.interleaved ? [at + 2 * j, at + 2 * j + 1] : [at + j, at + j + half];
      const cos = Math.cos(p * invFreq[j]);
      const sin = Math.sin(p * invFreq[j]);
      data[a] = x.data[a] * cos - x.data[b] * sin;
      data[b] = x.data[b] * cos + x.data[a] * sin;
    }
  }
  return { shape: [...x.shape], data };
};
