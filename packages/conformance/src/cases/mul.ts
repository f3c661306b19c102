import { binaryVariants } from './binary.js';
import { defineCase } from './define.js';

export const mulCases = [
  ...binaryVariants('mul'),
  defineCase('mul/squeeze-excite', {
    description: "a conv's output times its own pooled, sigmoid [N, C, 1, 1] gate",
    inputs: { x: { shape: ['batch', 4, 5, 5] } },
    nodes: [
      {
        id: 'c',
        op: 'conv2d',
        input: 'x',
        inChannels: 4,
        outChannels: 4,
        kernelSize: 3,
        padding: 1,
      },
      { id: 'g', op: 'globalAvgPool', input: 'c' },
      { id: 'sg', op: 'sigmoid', input: 'g' },
      { id: 'm', op: 'mul', input: ['c', 'sg'] },
    ],
    bindings: { batch: 2 },
  }),
];
