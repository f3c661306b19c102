import { seq, seqBindings, unaryCase } from './define.js';

export const reluCases = [
  unaryCase('relu/basic', seq(7), { id: 'act', op: 'relu' }, { bindings: seqBindings() }),
];
