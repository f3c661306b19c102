// reshape only renames the shape (row-major data is unchanged); one -1 takes the rest.
import type { OpKernel } from './types.js';
import { view } from './types.js';

export const reshape: OpKernel<'reshape'> = (node, [x]) => {
  const total = x.shape.reduce((p, d) => p * d, 1);
  const known = node.shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  return view(
    x,
    node.shape.map((d) => (d === -1 ? total / known : d)),
  );
};
