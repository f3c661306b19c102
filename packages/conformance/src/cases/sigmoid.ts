import { nonFiniteUnaryCase, seq, seqBindings, unaryCase } from './define.js';

export const sigmoidCases = [
  unaryCase(
    'sigmoid/basic',
    seq(7),
    { id: 'act', op: 'sigmoid' },
    { bindings: seqBindings(), inputScale: 6 },
  ),
  nonFiniteUnaryCase('sigmoid/non-finite', { id: 'act', op: 'sigmoid' }),
];
