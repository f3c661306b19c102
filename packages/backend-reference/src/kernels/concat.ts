// torch.cat(inputs, dim): the inputs' lanes along `dim` laid end to end, in input order.
import { lanes, normAxis } from '../tensor.js';
import type { Kernel } from './types.js';

export const concat: Kernel<'concat'> = (node, inputs) => {
  const axis = normAxis(node.dim, inputs[0].shape.length);
  const total = inputs.reduce((s, t) => s + t.shape[axis], 0);
  const shape = inputs[0].shape.map((d, i) => (i === axis ? total : d));
  const { outer, inner } = lanes(shape, axis);
  const data = new Float64Array(outer * total * inner);
  for (let o = 0; o < outer; o++) {
    let at = o * total * inner;
    for (const t of inputs) {
      const chunk = t.shape[axis] * inner;
      data.set(t.data.subarray(o * chunk, (o + 1) * chunk), at);
      at += chunk;
    }
  }
  return { shape, data };
};
