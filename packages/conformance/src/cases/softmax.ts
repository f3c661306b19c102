import { seq, seqBindings, unaryCase } from './define.js';

export const softmaxCases = [
  unaryCase(
    'softmax/last-dim',
    seq(7),
    { id: 'sm', op: 'softmax', dim: -1 },
    { bindings: seqBindings(), inputScale: 3 },
  ),
  unaryCase(
    'softmax/dim1',
    seq(7),
    { id: 'sm', op: 'softmax', dim: 1 },
    { description: 'along time, not the last dim', bindings: seqBindings(), inputScale: 3 },
  ),
];
