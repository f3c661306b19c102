// torch.flatten(x, startDim, endDim): a constant target shape when every output dim is known,
// otherwise Shape(x)[:start] ++ [-1] ++ Shape(x)[end+1:] built at run time.
import type { Emitter } from './types.js';
import { isStatic } from './types.js';

export const flatten: Emitter<'flatten'> = ({ b, inputs: [x], hint, node, inShapes, out }) => {
  if (isStatic(out.shape)) return b.op1('Reshape', [x, b.i64(out.shape)], hint);
  const r = inShapes[0].shape.length;
  const s = node.startDim < 0 ? node.startDim + r : node.startDim;
  const e = node.endDim < 0 ? node.endDim + r : node.endDim;
  const parts: string[] = [];
  if (s > 0) parts.push(b.op1('Shape', [x], `${hint}_head`, { end: { int: s } }));
  parts.push(b.i64([-1]));
  if (e + 1 < r) parts.push(b.op1('Shape', [x], `${hint}_tail`, { start: { int: e + 1 } }));
  const shape =
    parts.length === 1 ? parts[0] : b.op1('Concat', parts, `${hint}_shape`, { axis: { int: 0 } });
  return b.op1('Reshape', [x, shape], hint);
};
