// torch.reshape(x, shape): one entry may be -1 (inferred). The element count must match.
import { z } from 'zod';
import { type Dim, dimDiv } from '../dims.js';
import { defineOp, divisors, fail, MAX_DIM, nodeBase } from './common.js';

export const reshape = defineOp({
  op: 'reshape',
  schema: z.strictObject({
    ...nodeBase,
    op: z
      .literal('reshape')
      .describe('torch.reshape(x, shape): the same elements in a new shape, in row-major order'),
    shape: z
      .array(
        z
          .number()
          .int()
          .min(-1)
          .max(MAX_DIM)
          .refine((d) => d !== 0, 'a dimension cannot be 0'),
      )
      .min(1)
      .max(8)
      .describe(
        '`shape` of torch.reshape: the whole output shape, batch dim included; one entry may be -1, inferred from the element count',
      ),
  }),
  arity: [1, 1],
  infer(a, [x]) {
    const wild = a.shape.filter((d) => d === -1).length;
    if (wild > 1) fail('may hold at most one -1', 'shape');
    const known = a.shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    const symbolic = x.shape.filter((d) => typeof d !== 'number');
    const numericIn = x.shape.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
    if (symbolic.length === 0) {
      if (wild === 0 && known !== numericIn) {
        fail(
          `[${a.shape.join(', ')}] has ${known} elements but the input [${x.shape.join(', ')}] has ${numericIn}`,
          'shape',
        );
      }
      if (wild === 1 && numericIn % known !== 0) {
        fail(
          `[${a.shape.join(', ')}] cannot hold the ${numericIn} elements of [${x.shape.join(', ')}]`,
          'shape',
        );
      }
      return {
        out: { dtype: x.dtype, shape: a.shape.map((d) => (d === -1 ? numericIn / known : d)) },
      };
    }
    if (wild === 0)
      fail(`the input [${x.shape.join(', ')}] has symbolic dims, so the shape needs a -1`, 'shape');
    // Symbolic: the -1 takes the symbolic part, which must be what remains after the known dims.
    let rest: Dim = symbolic.reduce<Dim>((p, d) => (p === 1 ? d : `${p}*${d}`), 1);
    if (numericIn % known === 0)
      rest = numericIn / known === 1 ? rest : `${rest}*${numericIn / known}`;
    else if (known % numericIn === 0) rest = dimDiv(rest, known / numericIn, 'floor');
    else fail(`[${a.shape.join(', ')}] does not divide the input [${x.shape.join(', ')}]`, 'shape');
    return { out: { dtype: x.dtype, shape: a.shape.map((d) => (d === -1 ? rest : d)) } };
  },
  flops: () => 0,
  fuzz(d, x) {
    // Either every feature in one dim, or the last dim split into two factors; the batch dim
    // is symbolic in the spec, so it is the -1.
    const rest = x.slice(1);
    const last = rest[rest.length - 1];
    const split = divisors(last).filter((k) => k > 1 && k < last);
    let shape: number[];
    if (split.length > 0 && d.bool()) {
      const k = d.pick(split);
      shape = [...rest.slice(0, -1), k, last / k];
    } else shape = [rest.reduce((p, s) => p * s, 1)];
    if (shape.length > 4) return undefined;
    return { attrs: { shape: [-1, ...shape] } };
  },
  examples: [{ input: { shape: [2, 3, 4] }, node: { shape: [6, -1] }, shape: [6, 4] }],
});
