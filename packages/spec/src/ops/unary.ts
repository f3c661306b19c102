// The elementwise ops without weights share one base: output shape = input shape, any input
// fuzzes (no attributes). Each op file adds its FLOPs per element and its examples; `summary`
// describes the op in the JSON Schema.
import { z } from 'zod';
import { count, float, nodeBase, pointwise, type TensorInfo } from './common.js';

export function unaryBase<
  const Name extends string,
  Extra extends z.ZodRawShape = Record<never, never>,
>(name: Name, summary: string, extra?: Extra) {
  return {
    op: name,
    schema: z.strictObject({
      ...nodeBase,
      op: z.literal(name).describe(summary),
      ...(extra ?? ({} as Extra)),
    }),
    arity: [1, 1] as const,
    infer(_a: unknown, [x]: TensorInfo[]) {
      return { out: float([...x.shape]) };
    },
    fuzz: () => ({ attrs: {} }),
    decode: pointwise,
  };
}

/** `perElement` FLOPs for each output element. */
export const elementwise =
  (perElement: number) =>
  (_a: unknown, { out }: { out: number[] }) =>
    perElement * count(out);
