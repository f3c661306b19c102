// torch.matmul for operands of rank ≥ 2: [..., n, k] · [..., k, m] → [..., n, m],
// y[b, i, j] = Σ_t a[b, i, t]·c[b, t, j], the batch dims broadcast as add's are.
import { broadcastShapes } from '@tessera/spec';
import { numel, offset, unravel } from '../tensor.js';
import { broadcastStrides } from './binary.js';
import type { Kernel } from './types.js';

export const matmul: Kernel<'matmul'> = (_node, [a, c]) => {
  const [n, k] = a.shape.slice(-2);
  const m = c.shape[c.shape.length - 1];
  const batchA = a.shape.slice(0, -2);
  const batchC = c.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchC) as number[];
  // Which matrix of each operand a batch index reads (0 along broadcast dims).
  const sa = broadcastStrides(batchA, batch);
  const sc = broadcastStrides(batchC, batch);
  const data = new Float64Array(numel(batch) * n * m);
  for (let b = 0; b < numel(batch); b++) {
    const index = unravel(b, batch);
    const pa = offset(index, sa) * n * k;
    const pc = offset(index, sc) * k * m;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += a.data[pa + i * k + t] * c.data[pc + t * m + j];
        data[(b * n + i) * m + j] = s;
      }
    }
  }
  return { shape: [...batch, n, m], data };
};
