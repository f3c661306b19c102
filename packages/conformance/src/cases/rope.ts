import { unaryCase } from './define.js';

// Rotary position embedding alone, on per-head features [batch, heads, time, headDim].
const heads = (headDim: number) => ['batch', 2, 'time', headDim];

export const ropeCases = [
  unaryCase(
    'rope/rotate-half',
    heads(8),
    { id: 'rope', op: 'rope', dim: 8 },
    {
      description: "transformers' rotate_half pairing, theta 10000",
      bindings: { batch: 2, time: 6 },
    },
  ),
  unaryCase(
    'rope/interleaved',
    heads(8),
    { id: 'rope', op: 'rope', dim: 8, interleaved: true },
    { description: "GPT-J's pairing", bindings: { batch: 2, time: 6 } },
  ),
  unaryCase(
    'rope/partial',
    heads(10),
    { id: 'rope', op: 'rope', dim: 4 },
    { description: 'features 4..9 pass through', bindings: { batch: 1, time: 5 } },
  ),
  unaryCase(
    'rope/partial-interleaved',
    heads(6),
    { id: 'rope', op: 'rope', dim: 2, interleaved: true },
    { bindings: { batch: 1, time: 5 } },
  ),
  unaryCase(
    'rope/theta-500000',
    heads(8),
    { id: 'rope', op: 'rope', dim: 8, theta: 500000 },
    { bindings: { batch: 2, time: 7 } },
  ),
  unaryCase(
    'rope/time1',
    heads(4),
    { id: 'rope', op: 'rope', dim: 4 },
    { description: 'position 0: the identity', bindings: { batch: 2, time: 1 } },
  ),
  unaryCase(
    'rope/long',
    ['batch', 1, 'time', 4],
    { id: 'rope', op: 'rope', dim: 4, theta: 10 },
    {
      description: '64 positions, small theta: angles up to 63 radians on every pair',
      bindings: { batch: 1, time: 64 },
    },
  ),
  unaryCase(
    'rope/static-time',
    ['batch', 3, 5, 6],
    { id: 'rope', op: 'rope', dim: 6 },
    { description: 'the time fixed in the spec', bindings: { batch: 2 } },
  ),
];
