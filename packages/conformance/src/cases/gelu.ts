import { nonFiniteUnaryCase, seq, seqBindings, unaryCase } from './define.js';

export const geluCases = [
  unaryCase(
    'gelu/none',
    seq(7),
    { id: 'act', op: 'gelu', approximate: 'none' },
    { bindings: seqBindings(), inputScale: 4 },
  ),
  unaryCase(
    'gelu/tanh',
    seq(7),
    { id: 'act', op: 'gelu', approximate: 'tanh' },
    { bindings: seqBindings(), inputScale: 4 },
  ),
  nonFiniteUnaryCase('gelu/non-finite', { id: 'act', op: 'gelu' }),
  nonFiniteUnaryCase('gelu/tanh-non-finite', { id: 'act', op: 'gelu', approximate: 'tanh' }),
];
