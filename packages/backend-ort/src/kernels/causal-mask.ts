// Scores [..., tq, tk] + a mask [tq, tk] that is −∞ where key j comes after query i (j > i + tk − tq)
// and 0 elsewhere. Known tq, tk: the mask is a constant. Otherwise it is built at run time: −∞
// expanded to Shape(x)[-2:], then Trilu(upper, k = tk − tq + 1) keeps the −∞ where j ≥ i + k and
// zeroes the rest (k = 1 when tq and tk are the same dim, as in self-attention).
import { int } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const causalMask: Emitter<'causalMask'> = ({ b, inputs: [x], hint, inShapes }) => {
  const [tq, tk] = inShapes[0].shape.slice(-2);
  if (typeof tq === 'number' && typeof tk === 'number') {
    const m = new Float32Array(tq * tk);
    for (let i = 0; i < tq; i++)
      for (let j = i + tk - tq + 1; j < tk; j++) m[i * tk + j] = Number.NEGATIVE_INFINITY;
    return b.op1('Add', [x, b.floatInit(`${hint}_mask`, [tq, tk], m)], hint);
  }
  const size = b.op1('Shape', [x], `${hint}_size`, { start: int(-2) });
  const negInf = b.floatInit(`${hint}_neg_inf`, [1], Float32Array.of(Number.NEGATIVE_INFINITY));
  const full = b.op1('Expand', [negInf, size], `${hint}_full`);
  let k = b.i64([1], true);
  if (tq !== tk) {
    const keys = b.op1('Shape', [x], `${hint}_keys`, { start: int(-1) });
    const queries = b.op1('Shape', [x], `${hint}_queries`, { start: int(-2), end: int(-1) });
    const offset = b.op1('Sub', [keys, queries], `${hint}_offset`);
    // A scalar by Gather, not Squeeze (see GraphBuilder.dimScalar).
    const k1 = b.op1('Add', [offset, b.i64([1])], `${hint}_k1`);
    k = b.op1('Gather', [k1, b.i64([0], true)], `${hint}_k`, { axis: int(0) });
  }
  const mask = b.op1('Trilu', [full, k], `${hint}_mask`, { upper: int(1) });
  return b.op1('Add', [x, mask], hint);
};
