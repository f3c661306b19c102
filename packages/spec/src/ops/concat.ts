// torch.cat(inputs, dim): every other dim must match.
import { z } from 'zod';
import { type Dim, dimAdd } from '../dims.js';
import { anyInt, axis, defineOp, fail, float, nodeBase } from './common.js';

export const concat = defineOp({
  op: 'concat',
  schema: z.strictObject({ ...nodeBase, op: z.literal('concat'), dim: anyInt.default(0) }),
  arity: [2, 64],
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
});
