// flatten only renames the shape; the flat data is unchanged.
import type { OpKernel } from './types.js';
import { view } from './types.js';

export const flatten: OpKernel<'flatten'> = (node, [x]) => {
  const r = x.shape.length;
  const s = node.startDim < 0 ? node.startDim + r : node.startDim;
  const e = node.endDim < 0 ? node.endDim + r : node.endDim;
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return view(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
};
