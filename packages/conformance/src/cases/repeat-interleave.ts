import { defineCase, unaryCase } from './define.js';

// torch.repeat_interleave alone; dim 1 of [batch, kvHeads, time, headDim] is repeat_kv.
export const repeatInterleaveCases = [
  unaryCase(
    'repeatInterleave/repeat-kv',
    ['batch', 2, 'time', 4],
    { id: 'rep', op: 'repeatInterleave', repeats: 3, dim: 1 },
    { description: "transformers' repeat_kv: 2 kv heads to 6", bindings: { batch: 2, time: 5 } },
  ),
  unaryCase(
    'repeatInterleave/last-dim',
    ['batch', 3, 4],
    { id: 'rep', op: 'repeatInterleave', repeats: 2, dim: -1 },
    { bindings: { batch: 2 } },
  ),
  unaryCase(
    'repeatInterleave/middle-dim',
    ['batch', 'time', 3],
    { id: 'rep', op: 'repeatInterleave', repeats: 4, dim: 1 },
    { bindings: { batch: 1, time: 3 } },
  ),
  unaryCase(
    'repeatInterleave/once',
    ['batch', 2, 3],
    { id: 'rep', op: 'repeatInterleave', repeats: 1, dim: 1 },
    { description: 'repeats 1: a copy', bindings: { batch: 2 } },
  ),
  defineCase('repeatInterleave/then-add', {
    description: 'the repeated tensor feeds another op (a layout a backend must materialise)',
    inputs: { x: { shape: ['batch', 2, 3] }, y: { shape: ['batch', 4, 3] } },
    nodes: [
      { id: 'rep', op: 'repeatInterleave', input: 'x', repeats: 2, dim: 1 },
      { id: 'sum', op: 'add', input: ['rep', 'y'] },
    ],
    bindings: { batch: 2 },
  }),
];
