// torch.select(x, dim, index): out[c] = x[c with `index` inserted at `dim`]; a negative index
// counts from the end.
import { strides } from '@tessera/spec';
import { coords, lit, names, offset } from './source.js';
import type { OpKernel } from './types.js';

export const select: OpKernel<'select'> = (node, [x], ctx) => {
  const r = x.shape.length;
  const d = node.dim < 0 ? node.dim + r : node.dim;
  const index = node.index < 0 ? node.index + x.shape[d] : node.index;
  const st = strides(x.shape);
  const out = x.shape.filter((_, j) => j !== d);
  const kept = st.filter((_, j) => j !== d);
  const fixed = index * st[d];
  const at = offset(names('c', r - 1), kept);
  return ctx.run(
    out,
    [x],
    `${coords('c', 'i', out)}\nreturn a0[${fixed === 0 ? at : `${lit(fixed)} + ${at}`}];`,
  );
};
