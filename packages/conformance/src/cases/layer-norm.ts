import { defineCase, nonFiniteNormCase, seq, seqBindings, unaryCase } from './define.js';

export const layerNormCases = [
  unaryCase(
    'layerNorm/last-dim',
    seq(7),
    { id: 'ln', op: 'layerNorm', normalizedShape: [7] },
    { bindings: seqBindings() },
  ),
  defineCase('layerNorm/multi-dim', {
    description: 'normalizedShape [5, 7] over the last two dims',
    inputs: { x: { shape: ['batch', 3, 5, 7] } },
    nodes: [{ id: 'ln', op: 'layerNorm', normalizedShape: [5, 7] }],
    bindings: { batch: 2 },
  }),
  unaryCase(
    'layerNorm/no-affine',
    seq(13),
    { id: 'ln', op: 'layerNorm', normalizedShape: 13, elementwiseAffine: false },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'layerNorm/no-bias',
    seq(6),
    { id: 'ln', op: 'layerNorm', normalizedShape: [6], bias: false },
    { bindings: seqBindings() },
  ),
  unaryCase(
    'layerNorm/eps',
    seq(4),
    { id: 'ln', op: 'layerNorm', normalizedShape: [4], eps: 0.1 },
    { description: 'a large eps changes the result', bindings: seqBindings(), inputScale: 0.3 },
  ),
  unaryCase(
    'layerNorm/default-eps-small-inputs',
    seq(7),
    { id: 'ln', op: 'layerNorm', normalizedShape: [7] },
    {
      // Inputs in ±5e-3 have a variance near 8e-6, close to eps 1e-5: a backend with another eps fails.
      description: 'the variance is of the order of the default eps, so eps must be 1e-5',
      bindings: seqBindings(),
      inputScale: 5e-3,
    },
  ),
  // A residual sum and the LayerNorm after it (one SkipLayerNormalization in ORT's fused graphs).
  defineCase('layerNorm/after-add', {
    description: 'the norm of a residual sum of two same-shaped inputs',
    inputs: { x: { shape: seq(8) }, y: { shape: seq(8) } },
    nodes: [
      { id: 's', op: 'add', input: ['x', 'y'] },
      { id: 'n', op: 'layerNorm', input: 's', normalizedShape: [8] },
    ],
    bindings: seqBindings(3),
  }),
  defineCase('layerNorm/after-add-sum-read', {
    description: 'the residual sum is an output too; no bias, eps 1e-2',
    inputs: { x: { shape: seq(8) }, y: { shape: seq(8) } },
    nodes: [
      { id: 's', op: 'add', input: ['x', 'y'] },
      { id: 'n', op: 'layerNorm', input: 's', normalizedShape: [8], bias: false, eps: 1e-2 },
    ],
    outputs: { n: 'n', s: 's' },
    bindings: seqBindings(3),
  }),
  defineCase('layerNorm/after-broadcast-add', {
    description: 'the norm of [B, T, 8] + [T, 8]',
    inputs: { x: { shape: seq(8) }, z: { shape: ['time', 8] } },
    nodes: [
      { id: 's', op: 'add', input: ['x', 'z'] },
      { id: 'n', op: 'layerNorm', input: 's', normalizedShape: [8] },
    ],
    bindings: seqBindings(3),
  }),
  // PyTorch: any non-finite element makes its row's mean or variance NaN, so the whole row is NaN.
  nonFiniteNormCase('layerNorm/non-finite', { id: 'ln', op: 'layerNorm', normalizedShape: [6] }),
];
