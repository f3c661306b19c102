import {
  at,
  defineCase,
  inf,
  nan,
  nonFiniteUnaryCase,
  seq,
  seqBindings,
  unaryCase,
} from './define.js';

export const reluCases = [
  unaryCase('relu/basic', seq(7), { id: 'act', op: 'relu' }, { bindings: seqBindings() }),
  defineCase('relu/after-conv-and-linear', {
    description: 'relu after convs and a linear whose outputs are also read before the relu',
    inputs: { x: { shape: ['batch', 2, 5, 5] } },
    nodes: [
      { id: 'c1', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 3 },
      { id: 'r1', op: 'relu' },
      { id: 'c2', op: 'conv2d', inChannels: 3, outChannels: 2, kernelSize: 2 },
      { id: 'r2', op: 'relu' },
      { id: 'flat', op: 'flatten' },
      { id: 'fc', op: 'linear', inFeatures: 8, outFeatures: 3 },
      { id: 'r3', op: 'relu' },
    ],
    outputs: { y: 'fc', pre: 'c2' },
    bindings: { batch: 2 },
  }),
  nonFiniteUnaryCase('relu/non-finite', { id: 'act', op: 'relu' }),
  // +inf and −inf in one row give NaN inside the matMul or conv: the NaN that x86 and wasm
  // arithmetic make has its sign bit set, which a relu comparing bits as integers (or a fused
  // relu done as an output clamp) turns into 0. PyTorch keeps it.
  defineCase('relu/after-linear-non-finite', {
    description: 'a linear then a relu, NaN made by inf − inf inside the matMul',
    inputs: { x: { shape: seq(4) } },
    nodes: [
      { id: 'fc', op: 'linear', inFeatures: 4, outFeatures: 6 },
      { id: 'act', op: 'relu' },
    ],
    bindings: seqBindings(3),
    special: { x: at([[0, 1, 0], inf], [[0, 1, 3], -inf], [[1, 0, 2], nan], [[1, 2, 1], inf]) },
  }),
  defineCase('relu/after-conv-non-finite', {
    description: 'a conv2d then a relu, NaN made by inf − inf inside the convolution',
    inputs: { x: { shape: ['batch', 2, 5, 5] } },
    nodes: [
      { id: 'conv', op: 'conv2d', inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1 },
      { id: 'act', op: 'relu' },
    ],
    bindings: { batch: 2 },
    special: { x: at([[0, 0, 1, 1], inf], [[0, 1, 1, 2], -inf], [[1, 1, 3, 3], nan]) },
  }),
];
