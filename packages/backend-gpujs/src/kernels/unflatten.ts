// torch.unflatten only renames the shape: dim `dim` becomes `sizes`, the flat data is unchanged.
import type { OpKernel } from './types.js';
import { view } from './types.js';

export const unflatten: OpKernel<'unflatten'> = (node, [x]) => {
  const d = node.dim < 0 ? node.dim + x.shape.length : node.dim;
  return view(x, [...x.shape.slice(0, d), ...node.sizes, ...x.shape.slice(d + 1)]);
};
