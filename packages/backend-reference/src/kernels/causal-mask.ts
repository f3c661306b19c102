// Scores [..., tq, tk]: y[i, j] = −∞ where key j comes after query i, which sits at position
// i + tk − tq (the last tq of tk positions); elsewhere y = x.
import type { Kernel } from './types.js';

export const causalMask: Kernel<'causalMask'> = (_node, [x]) => {
  const [tq, tk] = x.shape.slice(-2);
  const data = x.data.slice();
  for (let r = 0; r < data.length / (tq * tk); r++) {
    for (let i = 0; i < tq; i++) {
      for (let j = i + tk - tq + 1; j < tk; j++)
        data[(r * tq + i) * tk + j] = Number.NEGATIVE_INFINITY;
    }
  }
  return { shape: [...x.shape], data };
};
