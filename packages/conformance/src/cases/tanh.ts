import { seq, seqBindings, unaryCase } from './define.js';

export const tanhCases = [
  unaryCase(
    'tanh/basic',
    seq(7),
    { id: 'act', op: 'tanh' },
    { bindings: seqBindings(), inputScale: 4 },
  ),
];
