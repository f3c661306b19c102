// The Reduce* operators in the form the opset takes: their axes became an input in opset 13
// (ReduceSum) and 18 (the others: ReduceMean, ReduceMax, ...); before, the `axes` attribute.
import { type GraphBuilder, int, ints } from '../graph-builder.js';

export type ReduceOp = 'ReduceMean' | 'ReduceMax' | 'ReduceMin' | 'ReduceSum' | 'ReduceProd';

/** op(x) over `axes`, keeping the reduced dims as 1 when `keepdims`. */
export function reduce(
  b: GraphBuilder,
  opset: number,
  op: ReduceOp,
  x: string,
  axes: number[],
  keepdims: boolean,
  hint: string,
): string {
  const keep = { keepdims: int(keepdims ? 1 : 0) };
  const axesAnInput = opset >= (op === 'ReduceSum' ? 13 : 18);
  if (!axesAnInput) return b.op1(op, [x], hint, { ...keep, axes: ints(axes) });
  return b.op1(op, [x, b.i64(axes)], hint, keep);
}
