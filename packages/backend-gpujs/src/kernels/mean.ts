// torch.mean(x, dim, keepdim): one thread per output element loops over the R reduced elements,
// decomposing the loop counter into the reduced coordinates.
import { meanAxes, strides } from '@tessera/spec';
import { coords, lit, names, offset } from './source.js';
import type { OpKernel } from './types.js';

export const mean: OpKernel<'mean'> = (node, [x], ctx) => {
  const axes = meanAxes(node.dim, x.shape.length);
  const st = strides(x.shape);
  const kept = x.shape.map((_, j) => j).filter((j) => !axes.includes(j));
  const keptShape = kept.map((j) => x.shape[j]);
  const reducedShape = axes.map((j) => x.shape[j]);
  const total = reducedShape.reduce((p, d) => p * d, 1);
  const outShape = node.keepdim ? x.shape.map((d, j) => (axes.includes(j) ? 1 : d)) : keptShape;
  const body = `${coords('c', 'i', keptShape)}
const base = ${offset(
    names('c', kept.length),
    kept.map((j) => st[j]),
  )};
let s = 0;
for (let k = 0; k < ${lit(total)}; k++) {
${coords('r', 'k', reducedShape)}
s += a0[base + ${offset(
    names('r', axes.length),
    axes.map((j) => st[j]),
  )}];
}
return s / ${lit(total)};`;
  return ctx.run(outShape, [x], body);
};
