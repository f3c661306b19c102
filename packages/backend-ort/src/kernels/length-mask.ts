// Scores [B, ..., K] and lengths int32 [B]: −∞ at keys j ≥ lengths[b] (PyTorch's key_padding_mask),
// as Where(Range(K) < lengths reshaped to [B, 1, ..., 1], x, −∞).
import { elemType, int } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const lengthMask: Emitter<'lengthMask'> = ({ b, inputs: [x, lengths], hint, inShapes }) => {
  const rank = inShapes[0].shape.length;
  const keys = b.dimScalar(x, -1, `${hint}_keys`);
  const positions = b.op1('Range', [b.i64([0], true), keys, b.i64([1], true)], `${hint}_positions`);
  const long = b.op1('Cast', [lengths], `${hint}_lengths_i64`, { to: int(elemType('int64')) });
  const perRow = b.op1(
    'Reshape',
    [long, b.i64([-1, ...new Array<number>(rank - 1).fill(1)])],
    `${hint}_lengths_rows`,
  );
  const valid = b.op1('Less', [positions, perRow], `${hint}_valid`);
  const negInf = b.floatInit(`${hint}_neg_inf`, [1], Float32Array.of(Number.NEGATIVE_INFINITY));
  return b.op1('Where', [valid, x, negInf], hint);
};
