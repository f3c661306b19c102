import { seq, seqBindings, unaryCase } from './define.js';

export const positionalEmbeddingCases = [
  unaryCase(
    'positionalEmbedding/learned',
    seq(6),
    { id: 'pos', op: 'positionalEmbedding', kind: 'learned', maxLength: 9, embeddingDim: 6 },
    { bindings: seqBindings(7) },
  ),
  unaryCase(
    'positionalEmbedding/sinusoidal',
    seq(8),
    { id: 'pos', op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 64, embeddingDim: 8 },
    { bindings: seqBindings(13) },
  ),
  unaryCase(
    'positionalEmbedding/sinusoidal-odd-dim',
    seq(7),
    { id: 'pos', op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 16, embeddingDim: 7 },
    { bindings: seqBindings(5) },
  ),
  unaryCase(
    'positionalEmbedding/sinusoidal-long',
    seq(16),
    { id: 'pos', op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 128, embeddingDim: 16 },
    // Up to t = 99: a float32 argument near 99 is off by at most half an ulp (3.8e-6), inside atol.
    {
      description: 'positions up to 99: sin and cos of larger arguments',
      bindings: seqBindings(100, 1),
    },
  ),
];
