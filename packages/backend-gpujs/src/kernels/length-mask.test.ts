// The key padding mask writes the mode's −∞ at keys j ≥ lengths[b]: exact −∞ on cpu and webasm,
// −3e38 where GLSL ES and WGSL promise no infinities (webgl2, webgpu; run here on gpu.js's cpu
// mode with their limits). A masked NaN is masked too (PyTorch's masked_fill), and the softmax
// after it gives exact zeros.
import { parseSpec, tensor } from '@tessera/spec';
import { GPU } from 'gpu.js';
import { expect, test } from 'vitest';
import { compileModel } from '../compile.js';

const spec = parseSpec({
  format: 'tessera.model/v1',
  inputs: {
    s: { dtype: 'float32', shape: [2, 2, 3] },
    len: { dtype: 'int32', shape: [2] },
  },
  outputs: { masked: 'm', p: 'p' },
  nodes: [
    { id: 'm', op: 'lengthMask', input: ['s', 'len'] },
    { id: 'p', op: 'softmax', dim: -1 },
  ],
});
const scores = tensor(
  'float32',
  [2, 2, 3],
  [1e4, Number.NaN, 5, -1e4, 3e3, 7, 0, 1e4, -1e4, 2, 2, 2],
);
const lengths = tensor('int32', [2], [1, 3]);

test.each([
  [true, Number.NEGATIVE_INFINITY],
  [false, Math.fround(-3e38)],
])(
  'infinities %s: keys past the length are %s, their weights exactly 0',
  async (infinities, minus) => {
    const model = await compileModel(spec, new Map(), new GPU({ mode: 'cpu' }), {
      maxElements: 2 ** 23,
      maxLoop: 2 ** 16,
      infinities,
    });
    const { masked, p } = await model.run({ s: scores, len: lengths });
    await model.dispose();
    // Row 0 keeps key 0 of both query rows; row 1 keeps all three keys.
    expect(Array.from(masked.data)).toEqual([
      1e4,
      minus,
      minus,
      -1e4,
      minus,
      minus,
      0,
      1e4,
      -1e4,
      2,
      2,
      2,
    ]);
    expect(Array.from(p.data.slice(0, 9))).toEqual([1, 0, 0, 1, 0, 0, 0, 1, 0]);
    for (const w of p.data.slice(9)) expect(w).toBeCloseTo(1 / 3, 6);
  },
);
