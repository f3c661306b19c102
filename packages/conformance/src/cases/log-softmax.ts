import { seq, seqBindings, unaryCase } from './define.js';

export const logSoftmaxCases = [
  unaryCase(
    'logSoftmax/last-dim',
    seq(13),
    { id: 'lsm', op: 'logSoftmax', dim: -1 },
    { bindings: seqBindings(), inputScale: 3 },
  ),
  unaryCase(
    'logSoftmax/dim0',
    seq(5),
    { id: 'lsm', op: 'logSoftmax', dim: 0 },
    { description: 'along the batch dim', bindings: seqBindings(3, 3), inputScale: 3 },
  ),
];
