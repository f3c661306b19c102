// torch.permute(x, dims) is Transpose with perm = dims (negative entries normalised).
import { ints } from '../graph-builder.js';
import type { Emitter } from './types.js';

export const permute: Emitter<'permute'> = ({ b, inputs, hint, node, inShapes }) => {
  const r = inShapes[0].shape.length;
  return b.op1('Transpose', inputs, hint, {
    perm: ints(node.dims.map((d) => (d < 0 ? d + r : d))),
  });
};
