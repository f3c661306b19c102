// torch.reshape(x, shape): same row-major data; a -1 takes numel(x) / (product of the other dims).
import { numel } from '../tensor.js';
import type { Kernel } from './types.js';

export const reshape: Kernel<'reshape'> = (node, [x]) => {
  const known = node.shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const shape = node.shape.map((d) => (d === -1 ? x.data.length / known : d));
  if (numel(shape) !== x.data.length) {
    throw new Error(
      `reshape ${node.id}: [${x.shape.join(', ')}] cannot become [${node.shape.join(', ')}]`,
    );
  }
  return { shape, data: x.data.slice() };
};
