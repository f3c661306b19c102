import { nonFiniteUnaryCase, seq, seqBindings, unaryCase } from './define.js';

export const siluCases = [
  unaryCase(
    'silu/basic',
    seq(7),
    { id: 'act', op: 'silu' },
    { bindings: seqBindings(), inputScale: 6 },
  ),
  nonFiniteUnaryCase('silu/non-finite', { id: 'act', op: 'silu' }),
];
