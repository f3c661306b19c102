// torch.unflatten(x, dim, sizes) is a Reshape to x's dims before `dim`, `sizes`, then x's dims
// after it (see targetShape for the symbolic ones).
import { targetShape } from './reshape.js';
import type { Emitter } from './types.js';

export const unflatten: Emitter<'unflatten'> = ({ b, inputs: [x], hint, node, inShapes }) => {
  const shape = inShapes[0].shape;
  const d = node.dim < 0 ? node.dim + shape.length : node.dim;
  return b.op1('Reshape', [x, targetShape(b, x, hint, shape, d, node.sizes, d + 1)], hint);
};
