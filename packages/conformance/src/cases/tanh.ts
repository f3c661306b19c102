import { nonFiniteUnaryCase, seq, seqBindings, unaryCase } from './define.js';

export const tanhCases = [
  unaryCase(
    'tanh/basic',
    seq(7),
    { id: 'act', op: 'tanh' },
    { bindings: seqBindings(), inputScale: 4 },
  ),
  nonFiniteUnaryCase('tanh/non-finite', { id: 'act', op: 'tanh' }),
];
