// Mean over every spatial dim, keeping them as size 1: y[n, c, 1, …] = (1/|S|) Σ_{s∈S} x[n, c, s].
import { numel } from '../tensor.js';
import type { Kernel } from './types.js';

export const globalAvgPool: Kernel<'globalAvgPool'> = (_node, [x]) => {
  const [n, c] = x.shape;
  const spatial = numel(x.shape.slice(2));
  const data = new Float64Array(n * c);
  for (let plane = 0; plane < n * c; plane++) {
    let s = 0;
    for (let k = 0; k < spatial; k++) s += x.data[plane * spatial + k];
    data[plane] = s / spatial;
  }
  return { shape: [n, c, ...x.shape.slice(2).map(() => 1)], data };
};
