import { defineCase, seq, seqBindings, unaryCase } from './define.js';

export const rmsNormCases = [
  unaryCase(
    'rmsNorm/last-dim',
    seq(7),
    { id: 'rms', op: 'rmsNorm', normalizedShape: [7] },
    { bindings: seqBindings() },
  ),
  defineCase('rmsNorm/multi-dim', {
    inputs: { x: { shape: ['batch', 3, 4, 5] } },
    nodes: [{ id: 'rms', op: 'rmsNorm', normalizedShape: [4, 5], eps: 1e-6 }],
    bindings: { batch: 2 },
  }),
  unaryCase(
    'rmsNorm/no-affine',
    seq(6),
    { id: 'rms', op: 'rmsNorm', normalizedShape: 6, elementwiseAffine: false },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'rmsNorm/default-eps-small-inputs',
    seq(7),
    { id: 'rms', op: 'rmsNorm', normalizedShape: [7] },
    {
      // Inputs in ±5e-4 have mean(x²) near 8e-8, close to the default eps 2⁻²³ ≈ 1.2e-7.
      description: 'mean(x²) is of the order of the default eps (float32 machine epsilon)',
      bindings: seqBindings(),
      inputScale: 5e-4,
    },
  ),
];
