// torch.permute(x, dims): output dim i is input dim dims[i], so y[j_0, …] = x[i] with i[dims[k]] = j_k.
import { normAxis, offset, strides, unravel } from '../tensor.js';
import type { Kernel } from './types.js';

export const permute: Kernel<'permute'> = (node, [x]) => {
  const dims = node.dims.map((d) => normAxis(d, x.shape.length));
  const shape = dims.map((d) => x.shape[d]);
  const inStrides = strides(x.shape);
  // The input stride that each output dim walks along.
  const walk = dims.map((d) => inStrides[d]);
  const data = new Float64Array(x.data.length);
  for (let j = 0; j < data.length; j++) data[j] = x.data[offset(unravel(j, shape), walk)];
  return { shape, data };
};
