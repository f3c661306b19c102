// The elementwise ops without weights share one factory: output shape = input shape.
import { z } from 'zod';
import { defineOp, float, nodeBase } from './common.js';

export function unaryOp<
  const Name extends string,
  Extra extends z.ZodRawShape = Record<never, never>,
>(name: Name, extra?: Extra) {
  return defineOp({
    op: name,
    schema: z.strictObject({ ...nodeBase, op: z.literal(name), ...(extra ?? ({} as Extra)) }),
    arity: [1, 1],
    infer(_a, [x]) {
      return { out: float([...x.shape]) };
    },
  });
}
