import {
  at,
  defineCase,
  inf,
  nan,
  nonFiniteSoftmaxCase,
  seq,
  seqBindings,
  unaryCase,
} from './define.js';

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
  // PyTorch (torch 1.13 checked, test/fixtures/special-torch.py): a row holding NaN or +inf is
  // all NaN (exp(x − max) is exp(NaN) somewhere); a row all −inf is NaN (−inf − (−inf)); −inf
  // in a row with finite values gives 0 there.
  nonFiniteSoftmaxCase('softmax/non-finite-rows', { id: 'sm', op: 'softmax', dim: -1 }),
  defineCase('softmax/non-finite-dim1', {
    description: 'along time: one lane all −inf, one with NaN',
    inputs: { x: { shape: seq(3) } },
    nodes: [{ id: 'sm', op: 'softmax', dim: 1 }],
    bindings: seqBindings(5),
    special: {
      x: [
        ...[0, 1, 2, 3, 4].map((t) => ({ at: [0, t, 1], value: -inf })),
        ...at([[1, 2, 0], nan], [[1, 4, 2], -inf]),
      ],
    },
  }),
];
