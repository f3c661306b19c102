// torch.flatten(x, startDim, endDim) is a Reshape to x's dims before startDim, their product
// (-1 when symbolic), then x's dims after endDim (see targetShape for the symbolic ones).
import { targetShape } from './reshape.js';
import type { Emitter } from './types.js';

export const flatten: Emitter<'flatten'> = ({ b, inputs: [x], hint, node, inShapes, out }) => {
  const shape = inShapes[0].shape;
  const r = shape.length;
  const s = node.startDim < 0 ? node.startDim + r : node.startDim;
  const e = node.endDim < 0 ? node.endDim + r : node.endDim;
  return b.op1('Reshape', [x, targetShape(b, x, hint, shape, s, [out.shape[s]], e + 1)], hint);
};
