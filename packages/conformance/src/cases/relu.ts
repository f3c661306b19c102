import { defineCase, seq, seqBindings, unaryCase } from './define.js';

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
];
