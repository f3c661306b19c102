// add and mul: elementwise with NumPy broadcasting (align trailing dims; a 1 stretches).
import { z } from 'zod';
import type { Dim } from '../dims.js';
import { count, defineOp, fail, float, nodeBase, type OpExample, pointwise } from './common.js';

/**
 * The shape NumPy broadcasting gives two shapes (dims aligned from the end, 1 stretching); throws a
 * ShapeIssue when they do not broadcast.
 */
export function broadcastShapes(a: Dim[], b: Dim[]): Dim[] {
  const r = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1 || x === y) out.push(x);
    else if (typeof x === 'number' && typeof y === 'number') {
      fail(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
    } else out.push(typeof x === 'number' ? y : x);
  }
  return out;
}

export function binaryOp<const Name extends 'add' | 'mul'>(
  name: Name,
  summary: string,
  examples: readonly OpExample[],
) {
  return defineOp({
    op: name,
    schema: z.strictObject({ ...nodeBase, op: z.literal(name).describe(summary) }),
    arity: [2, 2],
    decode: pointwise,
    infer(_a, [x, y]) {
      return { out: float(broadcastShapes(x.shape, y.shape)) };
    },
    flops: (_a, { out }) => count(out),
    fuzz(d, x, pool) {
      // A partner of the same shape, or one that broadcasts to it (a 1 where x has a size).
      const partners = pool.flatMap((p, i) =>
        p.length === x.length && p.every((s, k) => s === x[k] || s === 1) ? [i] : [],
      );
      if (partners.length === 0) return undefined;
      const partner = d.pick(partners);
      return { attrs: {}, partner, partnerFirst: !d.bool() };
    },
    examples,
  });
}
