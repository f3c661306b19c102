// torch.reshape: the spec's shape has no zeros and at most one -1, which ONNX Reshape reads the
// same way (allowzero is irrelevant without zeros).
import type { Dim } from '@tessera/spec';
import { type GraphBuilder, int } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const reshape: Emitter<'reshape'> = ({ b, inputs: [x], hint, node }) =>
  b.op1('Reshape', [x, b.i64(node.shape)], hint);

/**
 * The shape input of a Reshape of x (shape `from`) to x's dims [0, keep) ++ `middle` (at most one
 * symbolic dim) ++ x's dims [tail, rank): a constant where it can be, with 0 for a leading
 * symbolic dim (Reshape's allowzero = 0 copies the input's dim at that index) and -1 for the one
 * symbolic dim left; when more than one is left, x's trailing dims are read at run time,
 * Shape(x)[tail:], and concatenated.
 */
export function targetShape(
  b: GraphBuilder,
  x: string,
  hint: string,
  from: Dim[],
  keep: number,
  middle: Dim[],
  tail: number,
): string {
  const known = (d: Dim) => (typeof d === 'number' ? d : -1);
  const head = from.slice(0, keep).map((d) => (typeof d === 'number' ? d : 0));
  const rest = from.slice(tail);
  const symbolic = [...middle, ...rest].filter((d) => typeof d !== 'number').length;
  if (symbolic <= 1) return b.i64([...head, ...middle.map(known), ...rest.map(known)]);
  const lead = b.i64([...head, ...middle.map(known)]);
  const trailing = b.op1('Shape', [x], `${hint}_tail`, { start: int(tail) });
  return b.op1('Concat', [lead, trailing], `${hint}_shape`, { axis: int(0) });
}
