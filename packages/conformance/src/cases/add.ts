import { binaryVariants } from './binary.js';
import { defineCase } from './define.js';

export const addCases = [
  ...binaryVariants('add'),
  defineCase('add/conv-plus-input', {
    description: "a conv's output added to the model's own [N, C, H, W] input, then relu",
    inputs: { x: { shape: ['batch', 3, 6, 6] } },
    nodes: [
      {
        id: 'c',
        op: 'conv2d',
        input: 'x',
        inChannels: 3,
        outChannels: 3,
        kernelSize: 3,
        padding: 1,
      },
      { id: 's', op: 'add', input: ['c', 'x'] },
      { id: 'r', op: 'relu' },
    ],
    bindings: { batch: 2 },
  }),
];
