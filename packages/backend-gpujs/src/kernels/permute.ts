// torch.permute: output dim j is input dim dims[j], so out[c] = x[Σ_j c_j · stride_x[dims[j]]].
import { strides } from '@tessera/spec';
import { coords, names, offset } from './source.js';
import type { OpKernel } from './types.js';

export const permute: OpKernel<'permute'> = (node, [x], ctx) => {
  const r = x.shape.length;
  const dims = node.dims.map((d) => (d < 0 ? d + r : d));
  const st = strides(x.shape);
  const out = dims.map((d) => x.shape[d]);
  return ctx.run(
    out,
    [x],
    `${coords('c', 'i', out)}\nreturn a0[${offset(
      names('c', r),
      dims.map((d) => st[d]),
    )}];`,
  );
};
