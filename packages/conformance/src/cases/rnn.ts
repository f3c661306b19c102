import {
  nonFiniteVariants,
  recurrentCase,
  recurrentVariants,
  statesReadCase,
} from './recurrent.js';

export const rnnCases = [
  ...recurrentVariants('rnn'),
  recurrentCase('rnn', { name: 'relu', inputSize: 5, hiddenSize: 6, nonlinearity: 'relu' }),
  recurrentCase('rnn', {
    name: 'relu-bidirectional-2layer',
    inputSize: 4,
    hiddenSize: 3,
    nonlinearity: 'relu',
    numLayers: 2,
    bidirectional: true,
  }),
  statesReadCase('rnn'),
  ...nonFiniteVariants('rnn'),
  ...nonFiniteVariants('rnn', 'relu-', { nonlinearity: 'relu' }),
];
