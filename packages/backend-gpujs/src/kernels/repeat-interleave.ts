// torch.repeat_interleave(x, repeats, dim): the output seen as [outer, n, repeats, inner] reads
// x seen as [outer, n, inner] at (c0, c1, c3), so output index j along `dim` reads floor(j / repeats).
import { around, coords, names, offset } from './source.js';
import type { OpKernel } from './types.js';

export const repeatInterleave: OpKernel<'repeatInterleave'> = (node, [x], ctx) => {
  const axis = node.dim < 0 ? node.dim + x.shape.length : node.dim;
  if (node.repeats === 1) return x;
  const [outer, n, inner] = around(x.shape, axis);
  const shape = x.shape.map((d, j) => (j === axis ? d * node.repeats : d));
  // Shape numbers through num: repeat_kv runs on a decoder's growing cache.
  return ctx.run(shape, [x], (num) => {
    const at = offset(names('c', 4), [n * inner, inner, 0, 1], num);
    return `${coords('c', 'i', [outer, n, node.repeats, inner], num)}\nreturn a0[${at}];`;
  });
};
