// The mask's −∞ is exact where a mode's arithmetic is IEEE 754 and −3e38 where GLSL ES and WGSL
// promise no infinities (webgl2, webgpu, which do not run in node): the second path is run here on
// gpu.js's cpu mode with the GPU modes' limits, and a softmax after it must give exact zeros.
import { parseSpec, tensor } from '@tessera/spec';
import { GPU } from 'gpu.js';
import { expect, test } from 'vitest';
import { compileModel } from '../compile.js';

const spec = parseSpec({
  format: 'tessera.model/v1',
  inputs: { s: { dtype: 'float32', shape: [1, 3, 3] } },
  outputs: { masked: 'm', p: 'p' },
  nodes: [
    { id: 'm', op: 'causalMask' },
    { id: 'p', op: 'softmax', dim: -1 },
  ],
});
// Scores far from 0 either way: the masked exponentials must still vanish.
const scores = tensor('float32', [1, 3, 3], [1e4, -1e4, 5, -1e4, 3e3, 7, 0, 1e4, -1e4]);

test.each([
  [true, Number.NEGATIVE_INFINITY],
  [false, Math.fround(-3e38)],
])(
  'infinities %s: masked scores are %s, their softmax weights exactly 0',
  async (infinities, minus) => {
    const model = await compileModel(spec, new Map(), new GPU({ mode: 'cpu' }), {
      maxElements: 2 ** 23,
      maxLoop: 2 ** 16,
      infinities,
    });
    const { masked, p } = await model.run({ s: scores });
    await model.dispose();
    // Keys after the query (j > q) are masked: (0, 1), (0, 2), (1, 2).
    expect(Array.from(masked.data)).toEqual([1e4, minus, minus, -1e4, 3e3, minus, 0, 1e4, -1e4]);
    expect(Array.from(p.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 1, 0]);
  },
);
