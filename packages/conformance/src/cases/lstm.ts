import {
  nonFiniteVariants,
  recurrentCase,
  recurrentVariants,
  statesReadCase,
} from './recurrent.js';

export const lstmCases = [
  ...recurrentVariants('lstm'),
  statesReadCase('lstm'),
  ...nonFiniteVariants('lstm'),
  recurrentCase('lstm', {
    name: '37-steps-bidirectional-2layer',
    description: '37 = 16 + 16 + 5 steps: steps joined in groups, the last group short',
    inputSize: 3,
    hiddenSize: 5,
    numLayers: 2,
    bidirectional: true,
    time: 37,
  }),
];
