import { seq, seqBindings, unaryCase } from './define.js';

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
];
