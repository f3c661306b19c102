// mean over time with lengths (§6.3): Σ_{t < L_b} x / L_b, padded steps never read (a NaN there
// changes nothing), on both node variants.
import { parseSpec, tensor } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend } from '../index.js';

const spec = parseSpec({
  format: 'tessera.model/v1',
  inputs: {
    x: { dtype: 'float32', shape: [2, 3, 2] },
    len: { dtype: 'int32', shape: [2] },
  },
  outputs: { m: 'm' },
  nodes: [{ id: 'm', op: 'mean', input: 'x', dim: 1, keepdim: true, lengths: 'len' }],
});

describe.each(['cpu', 'webasm'] as const)('mean with lengths (%s)', (variant) => {
  test('averages each row over its valid steps', async () => {
    const model = await (await createBackend({ variant })).compile(spec, new Map());
    const { m } = await model.run({
      x: tensor('float32', [2, 3, 2], [1, -1, 2, -3, Number.NaN, 9, 3, 0, 4, 1, 8, 5]),
      len: tensor('int32', [2], [2, 3]),
    });
    await model.dispose();
    // Row 0: (1 + 2) / 2, (−1 − 3) / 2. Row 1: (3 + 4 + 8) / 3, (0 + 1 + 5) / 3.
    expect(m.shape).toEqual([2, 1, 2]);
    expect(Array.from(m.data)).toEqual([1.5, -2, 5, 2]);
  });
});
