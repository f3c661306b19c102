import { at, defineCase, inf, nan, seq, seqBindings, unaryCase, wholeRow } from './define.js';

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
  defineCase('logSoftmax/non-finite-rows', {
    description: 'rows with NaN, with +inf, all −inf, and partly −inf, beside finite rows',
    inputs: { x: { shape: seq(6) } },
    nodes: [{ id: 'sm', op: 'logSoftmax', dim: -1 }],
    bindings: seqBindings(4),
    inputScale: 3,
    special: {
      x: [
        ...at([[0, 0, 2], nan], [[0, 2, 0], -inf], [[0, 2, 3], -inf], [[1, 0, 1], inf]),
        ...at([[1, 1, 4], inf], [[1, 1, 0], -inf]),
        ...wholeRow([0, 1], 6, -inf),
      ],
    },
  }),
];
