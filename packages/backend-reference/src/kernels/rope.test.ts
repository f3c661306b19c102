import { describe, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';

type Attrs = { dim: number; theta?: number; interleaved?: boolean };
const rope = (x: ReturnType<typeof f32>, attrs: Attrs) =>
  evaluate([{ id: 'r', op: 'rope', input: 'x', ...attrs }], { x }).out;

// x = [1, 1, 2, 4]: position 0 holds [1, 2, 3, 4], position 1 holds [5, 6, 7, 8].
// dim 4, theta 10000: invFreq = [10000^0, 10000^(−2/4)] = [1, 0.01]; at p = 1 the angles are 1, 0.01.
// cos 1 = 0.5403023058681398, sin 1 = 0.8414709848078965,
// cos 0.01 = 0.9999500004166653, sin 0.01 = 0.009999833334166664.
// At p = 0 every angle is 0: the features are unchanged.
const x = f32([1, 1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
const [c1, s1] = [0.5403023058681398, 0.8414709848078965];

describe('rope', () => {
  it('rotate_half pairing: feature i turns with i + dim/2', () => {
    // Pairs (0, 2) by angle 1 and (1, 3) by angle 0.01:
    // x0' = 5·c1 − 7·s1 = −3.1887853643145765, x2' = 7·c1 + 5·s1 = 7.9894710651164615,
    // x1' = 6·c2 − 8·s2 = 5.919701335826659,   x3' = 8·c2 + 6·s2 = 8.059599003338322.
    const y = rope(x, { dim: 4, theta: 10000 });
    expectClose(
      y.data,
      [1, 2, 3, 4, -3.1887853643145765, 5.919701335826659, 7.9894710651164615, 8.059599003338322],
    );
  });

  it('interleaved pairing (GPT-J): features 2j and 2j + 1 turn together', () => {
    // Pairs (0, 1) by angle 1 and (2, 3) by angle 0.01:
    // x0' = 5·c1 − 6·s1 = −2.3473143795066798, x1' = 6·c1 + 5·s1 = 7.449168759248321,
    // x2' = 7·c2 − 8·s2 = 6.919651336243324,   x3' = 8·c2 + 7·s2 = 8.069598836672489.
    const y = rope(x, { dim: 4, interleaved: true }); // theta defaults to 10000
    expectClose(
      y.data,
      [1, 2, 3, 4, -2.3473143795066798, 7.449168759248321, 6.919651336243324, 8.069598836672489],
    );
  });

  it('partial rotary: dim 2 of headDim 4 turns features 0, 1 and copies 2, 3', () => {
    // dim 2: invFreq = [1], one pair (0, 1) in both pairings (i + dim/2 = i + 1 = 2i + 1 for i = 0):
    // at p = 1, x0' = 5·c1 − 6·s1 = −2.3473143795066798, x1' = 6·c1 + 5·s1 = 7.449168759248321.
    const want = [1, 2, 3, 4, -2.3473143795066798, 7.449168759248321, 7, 8];
    expectClose(rope(x, { dim: 2 }).data, want);
    expectClose(rope(x, { dim: 2, interleaved: true }).data, want);
  });

  it('the position is the time index, the same for every batch row and head', () => {
    // [2, 2, 2, 2], dim 2: every (batch, head) holds [1, 0] at p = 0 and [1, 0] at p = 1 → [c1, s1]
    // at p = 1 (the unit vector turned by angle 1), whichever row it sits in.
    const y = rope(f32([2, 2, 2, 2], Array(8).fill([1, 0]).flat()), { dim: 2 });
    expectClose(y.data, Array(4).fill([1, 0, c1, s1]).flat());
  });

  it('theta sets the frequencies: theta 4, dim 4 gives invFreq [1, 1/2]', () => {
    // At p = 1: pair (1, 3) turns by 0.5 (cos 0.5 = 0.8775825618903728, sin 0.5 = 0.479425538604203):
    // x1' = 6·cos 0.5 − 8·sin 0.5 = 1.4300910625086125, x3' = 8·cos 0.5 + 6·sin 0.5 = 9.8972137267482;
    // pair (0, 2) by angle 1 as in the first case.
    const y = rope(x, { dim: 4, theta: 4 });
    expectClose(
      y.data,
      [1, 2, 3, 4, -3.1887853643145765, 1.4300910625086125, 7.9894710651164615, 9.8972137267482],
    );
  });
});
