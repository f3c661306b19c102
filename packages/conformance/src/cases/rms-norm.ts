import { defineCase, nonFiniteNormCase, seq, seqBindings, unaryCase } from './define.js';

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
  // x·rsqrt(mean(x²) + eps)·weight (LlamaRMSNorm; nn.RMSNorm computes the same): an infinite
  // element makes mean(x²) inf, so the row is 0 (x·0) with NaN at the infinity (inf·0); a NaN
  // makes the row NaN.
  nonFiniteNormCase('rmsNorm/non-finite', { id: 'rms', op: 'rmsNorm', normalizedShape: [6] }),
];
