import { defineCase, seq, seqBindings } from './define.js';
import { nonFiniteVariants, recurrentVariants, statesReadCase } from './recurrent.js';

export const gruCases = [
  ...recurrentVariants('gru'),
  statesReadCase('gru'),
  ...nonFiniteVariants('gru'),
  defineCase('gru/3layer-h_n-into-linear', {
    description: "the last layer's h_n of a 3-layer gru without bias, read by a linear",
    inputs: { x: { shape: seq(3) } },
    nodes: [
      { id: 'g', op: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 3, bias: false },
      { id: 'last', op: 'select', input: 'g:h_n', dim: 0, index: -1 },
      { id: 'head', op: 'linear', inFeatures: 4, outFeatures: 2 },
    ],
    bindings: seqBindings(),
  }),
];
