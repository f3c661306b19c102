// torch.mean(x, dim, keepdim) is ReduceMean (its axes an input from opset 18: see reduce.ts).
// With lengths (dim 1 only): Σ_{t < length} x / length, as ReduceSum(Where(t < length, x, 0)) /
// length; the padding is selected away, not multiplied by 0, so a NaN there stays out.
import { meanAxes, splitLengths } from '@tessera/spec';
import { elemType, int } from '../graph-builder.js';
import { reduce } from './reduce.js';
import type { Emitter } from './types.js';

export const mean: Emitter<'mean'> = ({ b, inputs, hint, node, inShapes, options }) => {
  const {
    inputs: [x],
    lengths,
  } = splitLengths(node, inputs);
  const rank = inShapes[0].shape.length;
  if (lengths === undefined)
    return reduce(b, options.opset, 'ReduceMean', x, meanAxes(node.dim, rank), node.keepdim, hint);
  const time = b.dimScalar(x, 1, `${hint}_time`);
  const steps = b.op1('Range', [b.i64([0], true), time, b.i64([1], true)], `${hint}_steps`);
  const long = b.op1('Cast', [lengths], `${hint}_lengths_i64`, { to: int(elemType('int64')) });
  const rows = (name: string, shape: number[], t: string) =>
    b.op1('Reshape', [t, b.i64(shape)], `${hint}_${name}`);
  // [B, T, 1, ...]: true at t < length.
  const valid = b.op1(
    'Less',
    [
      rows('steps_col', [1, -1, ...new Array<number>(rank - 2).fill(1)], steps),
      rows('lengths_rows', [-1, ...new Array<number>(rank - 1).fill(1)], long),
    ],
    `${hint}_valid`,
  );
  const zero = b.floatInit(`${hint}_zero`, [1], Float32Array.of(0));
  const kept = b.op1('Where', [valid, x, zero], `${hint}_kept`);
  const sum = reduce(b, options.opset, 'ReduceSum', kept, [1], node.keepdim, `${hint}_sum`);
  const count = b.op1('Cast', [lengths], `${hint}_count`, { to: int(elemType('float32')) });
  const keptRank = node.keepdim ? rank : rank - 1;
  return b.op1(
    'Div',
    [sum, rows('count_rows', [-1, ...new Array<number>(keptRank - 1).fill(1)], count)],
    hint,
  );
};
