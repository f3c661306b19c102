// x[..., start:end, ...] along `dim`, with Python's slice bounds (sliceBounds clamps them).
import { sliceBounds } from '@tessera/spec';
import { lanes, normAxis } from '../tensor.js';
import type { Kernel } from './types.js';

export const slice: Kernel<'slice'> = (node, [x]) => {
  const axis = normAxis(node.dim, x.shape.length);
  const { outer, size, inner } = lanes(x.shape, axis);
  const [start, end] = sliceBounds(node, size);
  const kept = end - start;
  const data = new Float64Array(outer * kept * inner);
  // Each outer index keeps one contiguous run of kept·inner values.
  for (let o = 0; o < outer; o++)
    data.set(
      x.data.subarray((o * size + start) * inner, (o * size + end) * inner),
      o * kept * inner,
    );
  const shape = [...x.shape];
  shape[axis] = kept;
  return { shape, data };
};
