import { defineCase, seq, seqBindings } from './define.js';

export const concatCases = [
  defineCase('concat/last-dim', {
    inputs: { a: { shape: seq(3) }, b: { shape: seq(5) } },
    nodes: [{ id: 'cat', op: 'concat', input: ['a', 'b'], dim: -1 }],
    bindings: seqBindings(),
  }),
  defineCase('concat/time', {
    description: 'along a symbolic dim',
    inputs: { a: { shape: ['batch', 'time', 4] }, b: { shape: ['batch', 3, 4] } },
    nodes: [{ id: 'cat', op: 'concat', input: ['a', 'b'], dim: 1 }],
    bindings: seqBindings(2),
  }),
  defineCase('concat/three-branches', {
    inputs: { x: { shape: seq(4) } },
    nodes: [
      { id: 'p', op: 'linear', inFeatures: 4, outFeatures: 2 },
      { id: 'q', op: 'tanh', input: 'x' },
      { id: 'cat', op: 'concat', input: ['p', 'q', 'x'], dim: 2 },
    ],
    bindings: seqBindings(),
  }),
  defineCase('concat/channels', {
    inputs: { a: { shape: ['batch', 2, 3, 4] }, b: { shape: ['batch', 1, 3, 4] } },
    nodes: [{ id: 'cat', op: 'concat', input: ['a', 'b'], dim: 1 }],
    bindings: { batch: 2 },
  }),
  defineCase('concat/conv-channels-then-pool', {
    description: 'two conv outputs joined along channels, then a max pool',
    inputs: { x: { shape: ['batch', 2, 6, 6] } },
    nodes: [
      { id: 'a', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 2, kernelSize: 1 },
      {
        id: 'b',
        op: 'conv2d',
        input: 'x',
        inChannels: 2,
        outChannels: 3,
        kernelSize: 3,
        padding: 1,
      },
      { id: 'cat', op: 'concat', input: ['a', 'b'], dim: 1 },
      { id: 'p', op: 'maxPool2d', kernelSize: 2 },
    ],
    bindings: { batch: 2 },
  }),
];
