// torch.repeat_interleave(x, repeats, dim): output index j along `dim` reads input index
// floor(j / repeats), so each input slice appears `repeats` times in a row.
import { lanes, normAxis } from '../tensor.js';
import type { Kernel } from './types.js';

export const repeatInterleave: Kernel<'repeatInterleave'> = (node, [x]) => {
  const axis = normAxis(node.dim, x.shape.length);
  const { outer, size, inner } = lanes(x.shape, axis);
  const shape = x.shape.map((d, i) => (i === axis ? d * node.repeats : d));
  const data = new Float64Array(x.data.length * node.repeats);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < size * node.repeats; j++) {
      const from = (o * size + Math.floor(j / node.repeats)) * inner;
      data.set(x.data.subarray(from, from + inner), (o * size * node.repeats + j) * inner);
    }
  }
  return { shape, data };
};
