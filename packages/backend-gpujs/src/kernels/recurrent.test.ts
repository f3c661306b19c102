// Packed sequences (§6.3) on a recurrence small enough to follow by hand, on both node variants:
// a padded step is never read (a NaN there changes nothing), its output is 0, the forward h_n is
// the state after the row's last valid step and the reverse direction starts at L_b − 1.
import { parseSpec, tensor } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../index.js';

// h_t = relu(x_t + 0.5·h_prev), one feature, both directions with the same weights, no bias.
const spec = parseSpec({
  format: 'tessera.model/v1',
  inputs: {
    x: { dtype: 'float32', shape: [2, 3, 1] },
    len: { dtype: 'int32', shape: [2] },
  },
  outputs: { y: 'rec', h_n: 'rec:h_n' },
  nodes: [
    {
      id: 'rec',
      op: 'rnn',
      input: 'x',
      inputSize: 1,
      hiddenSize: 1,
      nonlinearity: 'relu',
      bias: false,
      bidirectional: true,
      lengths: 'len',
    },
  ],
});
const one = (v: number) => tensor('float32', [1, 1], [v]);
const weights = new Map([
  ['rec.weight_ih_l0', one(1)],
  ['rec.weight_hh_l0', one(0.5)],
  ['rec.weight_ih_l0_reverse', one(1)],
  ['rec.weight_hh_l0_reverse', one(0.5)],
]);

describe.each(['cpu', 'webasm'] as const)('rnn with lengths (%s)', (variant) => {
  test('runs each row over its valid steps only', async () => {
    const model = await (await createBackend({ variant })).compile(spec, weights);
    const { y, h_n } = await model.run({
      // Row 0 has 2 valid steps and a NaN in its padding; row 1 has 3.
      x: tensor('float32', [2, 3, 1], [1, 2, Number.NaN, 1, 1, 1]),
      len: tensor('int32', [2], [2, 3]),
    });
    await model.dispose();
    // Row 0 forward: 1, 2 + 0.5·1 = 2.5, then padding 0. Reverse from t = 1: 2, then 1 + 0.5·2 = 2.
    // Row 1 forward: 1, 1.5, 1.75. Reverse from t = 2: 1, 1.5, 1.75 (written at t = 2, 1, 0).
    // y[b, t] = [forward, reverse].
    expect(Array.from(y.data)).toEqual([1, 2, 2.5, 2, 0, 0, 1, 1.75, 1.5, 1.5, 1.75, 1]);
    // h_n [directions, batch, 1]: forward after the last valid step, reverse after t = 0.
    expect(Array.from(h_n.data)).toEqual([2.5, 1.75, 2, 1.75]);
  });
});
