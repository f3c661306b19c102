// The key padding mask on attention scores [batch, ..., keys] given lengths int32 [batch]:
// element [b, ..., j] becomes −∞ where key j ≥ lengths[b] (PyTorch's key_padding_mask, True at
// padded keys, filled with −inf before the softmax). A primitive of the attention
// decompositions with `lengths`; every length is checked to lie in 1..keys before a run, so a
// softmax row always keeps a finite score.
import { z } from 'zod';
import { defineOp, fail, float, nodeBase } from './common.js';

export const lengthMask = defineOp({
  op: 'lengthMask',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('lengthMask')
      .describe(
        "sets attention scores [batch, ..., keys] to −∞ at keys j ≥ lengths[b], given the scores and an int32 [batch] lengths input (PyTorch's key_padding_mask)",
      ),
  }),
  arity: [2, 2],
  inputDtype: ['float32', 'int32'],
  infer(_a, [x, lengths]) {
    if (x.shape.length < 2)
      fail(`needs scores of rank ≥ 2 [batch, ..., keys], got rank ${x.shape.length}`);
    if (lengths.shape.length !== 1)
      fail(`reads lengths as int32 [batch], got [${lengths.shape.join(', ')}]`);
    const [b, n] = [x.shape[0], lengths.shape[0]];
    if (typeof b === 'number' && typeof n === 'number' && b !== n)
      fail(`has scores of batch ${b} and ${n} lengths`);
    return { out: float([...x.shape]) };
  },
  flops: () => 0, // a select per element, counted as a copy
  // No fuzzing rule: its −∞ would reach arbitrary later ops; cases pair it with a softmax.
  examples: [
    {
      input: { shape: ['b', 2, 3, 5] },
      extraInputs: [{ dtype: 'int32', shape: ['b'] }],
      node: {},
      shape: ['b', 2, 3, 5],
    },
  ],
});
