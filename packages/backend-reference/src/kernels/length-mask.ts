// Scores [B, ..., keys] and lengths [B]: y[b, ..., j] = −∞ where j ≥ lengths[b], else x.
import type { Kernel } from './types.js';

export const lengthMask: Kernel<'lengthMask'> = (_node, [x, lengths]) => {
  const batch = x.shape[0];
  const keys = x.shape[x.shape.length - 1];
  const perRow = x.data.length / batch;
  const data = x.data.slice();
  for (let b = 0; b < batch; b++) {
    const valid = lengths.data[b];
    for (let r = b * perRow; r < (b + 1) * perRow; r += keys)
      for (let j = valid; j < keys; j++) data[r + j] = Number.NEGATIVE_INFINITY;
  }
  return { shape: [...x.shape], data };
};
