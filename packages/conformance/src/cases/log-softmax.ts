import { nonFiniteSoftmaxCase, seq, seqBindings, unaryCase } from './define.js';

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
  // PyTorch (torch 1.13 checked, test/fixtures/special-torch.py): a row holding NaN or +inf is
  // all NaN (exp(x − max) is exp(NaN) somewhere); a row all −inf is NaN (−inf − (−inf)); −inf
  // in a row with finite values gives −inf there.
  nonFiniteSoftmaxCase('logSoftmax/non-finite-rows', { id: 'sm', op: 'logSoftmax', dim: -1 }),
];
