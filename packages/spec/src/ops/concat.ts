// torch.cat(inputs, dim): every other dim must match.
import { z } from 'zod';
import { type Dim, dimAdd } from '../dims.js';
import { anyInt, axis, defineOp, fail, float, nodeBase, pointwiseOver } from './common.js';

export const concat = defineOp({
  op: 'concat',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('concat')
      .describe('torch.cat(inputs, dim): joins two or more inputs end to end along `dim`'),
    dim: anyInt
      .default(0)
      .describe(
        '`dim` of torch.cat: the dim the inputs are joined along (every other dim must match); negative counts from the end, 0 by default as in torch.cat',
      ),
  }),
  arity: [2, 64],
  decode: (a, [x]) => pointwiseOver([a.dim], x.shape.length, 'concatenates'),
  infer(a, inputs) {
    const r = inputs[0].shape.length;
    const d = axis(a.dim, r);
    let total: Dim = 0;
    inputs.forEach((x, k) => {
      if (x.shape.length !== r)
        fail(`input ${k} has rank ${x.shape.length}, input 0 has rank ${r}`);
      x.shape.forEach((s, i) => {
        const s0 = inputs[0].shape[i];
        if (i !== d && typeof s === 'number' && typeof s0 === 'number' && s !== s0) {
          fail(
            `input ${k} is [${x.shape.join(', ')}], input 0 is [${inputs[0].shape.join(', ')}]: only dim ${a.dim} may differ`,
          );
        }
      });
      const s = x.shape[d];
      total =
        typeof total === 'number' && typeof s === 'number'
          ? total + s
          : typeof s === 'number'
            ? dimAdd(total, s)
            : total === 0
              ? s
              : `${total} + ${s}`;
    });
    return { out: float(inputs[0].shape.map((s, i) => (i === d ? total : s))) };
  },
  flops: () => 0, // a copy
  fuzz(d, x, pool) {
    if (x.length < 2) return undefined;
    // A partner that differs from x in at most one dim (never the batch, dim 0).
    const partners = pool.flatMap((p, i) =>
      p.length === x.length && p.filter((s, k) => s !== x[k]).length <= 1 ? [i] : [],
    );
    if (partners.length === 0) return undefined;
    const partner = d.pick(partners);
    const differing = x.findIndex((s, k) => s !== pool[partner][k]);
    return { attrs: { dim: differing >= 0 ? differing : d.int(1, x.length - 1) }, partner };
  },
  examples: [
    // [2, 3] three times along dim 1 → [2, 9]
    {
      input: { shape: [2, 3] },
      extraInputs: [{ shape: [2, 3] }, { shape: [2, 3] }],
      node: { dim: 1 },
      shape: [2, 9],
    },
  ],
});
