import { seq, seqBindings, unaryCase } from './define.js';

export const dropoutCases = [
  unaryCase(
    'dropout/identity',
    seq(7),
    { id: 'drop', op: 'dropout', p: 0.5 },
    { description: 'the identity at inference', bindings: seqBindings() },
  ),
];
