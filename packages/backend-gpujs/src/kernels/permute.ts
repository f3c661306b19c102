// torch.permute: output dim j is input dim dims[j], so out[c] = x[Σ_j c_j · stride_x[dims[j]]].
import { strides } from '@tessera/spec';
import { coords, names, offset } from './source.js';
import type { OpKernel } from './types.js';

export const permute: OpKernel<'permute'> = (node, [x], ctx) => {
  const r = x.shape.length;
  const dims = node.dims.map((d) => (d < 0 ? d + r : d));
  const st = strides(x.shape);
  const out = dims.map((d) => x.shape[d]);
  // Shape numbers through n: kᵀ of a decoder's growing cache.
  return ctx.run(
    out,
    [x],
    (n) =>
      `${coords('c', 'i', out, n)}\nreturn a0[${offset(
        names('c', r),
        dims.map((d) => st[d]),
        n,
      )}];`,
  );
};
