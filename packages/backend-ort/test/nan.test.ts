// NaN and infinities as PyTorch has them, on the lowerings only some graphs take: the
// catalogue's non-finite cases cover undilated pools and the recurrences (test/conformance.test.ts);
// here a dilated pool, whose NaN takes maxPoolCoded (src/kernels/pool.ts), and a relu RNN with
// NaN in its initial state. Judged by conformance against the float64 reference.
import { defineCase } from '@tessera/conformance';
import { conformanceTests } from '@tessera/conformance/vitest';
import { createBackend } from '../src/index.js';

const nan = Number.NaN;
const inf = Number.POSITIVE_INFINITY;

const cases = [
  defineCase('ort-nan/max-pool-dilated', {
    description: 'dilation 2, padding 1: NaN, −inf-only windows and +inf',
    inputs: { x: { shape: ['batch', 2, 11] } },
    nodes: [{ id: 'pool', op: 'maxPool1d', kernelSize: 3, stride: 2, padding: 1, dilation: 2 }],
    bindings: { batch: 2 },
    special: {
      x: [
        { at: [0, 0, 3], value: nan },
        // Row [1, 1]: −inf at 0, 2, 4 (one dilated window at 0 with the padding) and +inf at 9.
        { at: [1, 1, 0], value: -inf },
        { at: [1, 1, 2], value: -inf },
        { at: [1, 1, 4], value: -inf },
        { at: [1, 1, 9], value: inf },
      ],
    },
  }),
  defineCase('ort-nan/rnn-relu-nan-h0', {
    description: 'NaN in one direction of h_0 for batch 1: that direction all NaN for it',
    inputs: { x: { shape: ['batch', 'time', 3] }, h0: { shape: [2, 'batch', 4] } },
    nodes: [
      {
        id: 'rec',
        op: 'rnn',
        input: ['x', 'h0'],
        inputSize: 3,
        hiddenSize: 4,
        bidirectional: true,
        nonlinearity: 'relu',
      },
    ],
    outputs: { y: 'rec', h_n: 'rec:h_n' },
    bindings: { batch: 2, time: 5 },
    special: { h0: [{ at: [1, 1, 2], value: nan }] },
  }),
];

for (const variant of ['node', 'wasm'] as const)
  conformanceTests(`ort:${variant}`, () => createBackend({ variant }), { cases, kinds: ['run'] });
