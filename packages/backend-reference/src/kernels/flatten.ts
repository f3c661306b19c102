// torch.flatten(x, startDim, endDim): same row-major data, dims startDim..endDim merged.
import { normAxis, numel } from '../tensor.js';
import type { Kernel } from './types.js';

export const flatten: Kernel<'flatten'> = (node, [x]) => {
  const s = normAxis(node.startDim, x.shape.length);
  const e = normAxis(node.endDim, x.shape.length);
  const shape = [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return { shape, data: x.data.slice() };
};
