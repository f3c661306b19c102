// The causal mask on attention scores [..., tq, tk]: element (i, j) becomes −∞ when key j comes
// after query i, query i sitting at position i + tk − tq (the last tq of tk positions, as when a
// decoder feeds new queries against a cache). With tq = tk this is PyTorch's upper-triangular
// −inf mask (torch.triu(ones, diagonal=1)).
import { z } from 'zod';
import { defineOp, fail, float, nodeBase } from './common.js';

export const causalMask = defineOp({
  op: 'causalMask',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('causalMask')
      .describe(
        'sets attention scores [..., queries, keys] to −∞ where the key comes after the query (torch.triu(ones, diagonal=1) as a −inf mask)',
      ),
  }),
  arity: [1, 1],
  infer(_a, [x]) {
    if (x.shape.length < 2)
      fail(`needs scores of rank ≥ 2 [..., queries, keys], got rank ${x.shape.length}`);
    const [tq, tk] = x.shape.slice(-2);
    if (typeof tq === 'number' && typeof tk === 'number' && tq > tk)
      fail(`has ${tq} queries for ${tk} keys; the queries must be the last of the key positions`);
    return { out: float([...x.shape]) };
  },
  flops: () => 0, // a select per element, counted as a copy
  // No fuzzing rule: its −∞ would reach arbitrary later ops; cases pair it with a softmax.
  examples: [{ input: { shape: ['b', 2, 3, 3] }, node: {}, shape: ['b', 2, 3, 3] }],
});
