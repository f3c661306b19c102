// torch.unflatten(x, dim, sizes): same row-major data, dim `dim` split into `sizes`.
import { normAxis } from '../tensor.js';
import type { Kernel } from './types.js';

export const unflatten: Kernel<'unflatten'> = (node, [x]) => {
  const d = normAxis(node.dim, x.shape.length);
  const shape = [...x.shape.slice(0, d), ...node.sizes, ...x.shape.slice(d + 1)];
  return { shape, data: x.data.slice() };
};
