// torch.select(x, dim, index): the slice at `index` along `dim` (negative counts from the end), `dim` dropped.
import { lanes, normAxis } from '../tensor.js';
import type { Kernel } from './types.js';

export const select: Kernel<'select'> = (node, [x]) => {
  const axis = normAxis(node.dim, x.shape.length);
  const { outer, size, inner } = lanes(x.shape, axis);
  const index = node.index < 0 ? node.index + size : node.index;
  if (index < 0 || index >= size)
    throw new RangeError(`select ${node.id}: index ${node.index} is out of range for size ${size}`);
  const data = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) data[o * inner + k] = x.data[(o * size + index) * inner + k];
  }
  return { shape: x.shape.filter((_, i) => i !== axis), data };
};
