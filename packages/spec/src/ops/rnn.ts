// nn.RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), act = tanh or relu.
import { z } from 'zod';
import { recurrentOp } from './recurrent.js';

export const rnn = recurrentOp(
  'rnn',
  {
    nonlinearity: z
      .enum(['tanh', 'relu'])
      .default('tanh')
      .describe("`nonlinearity` of nn.RNN: the activation, 'tanh' or 'relu'"),
  },
  {
    summary:
      'nn.RNN(batch_first=True) on [batch, time, inputSize]: h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh); port h_n, and h_0 as an optional second input',
    fuzzExtra: (d) => ({ nonlinearity: d.pick(['tanh', 'relu'] as const) }),
    examples: [
      {
        input: { shape: ['b', 't', 3] },
        node: {
          inputSize: 3,
          hiddenSize: 5,
          numLayers: 2,
          bidirectional: true,
          nonlinearity: 'relu',
        },
        shape: ['b', 't', 10],
        ports: { h_n: [4, 'b', 5] },
        // layer 1 reads both directions of layer 0: [H, 2H].
        weights: {
          'n.weight_ih_l0': [5, 3],
          'n.weight_hh_l0': [5, 5],
          'n.bias_ih_l0': [5],
          'n.bias_hh_l0': [5],
          'n.weight_ih_l0_reverse': [5, 3],
          'n.weight_hh_l0_reverse': [5, 5],
          'n.bias_ih_l0_reverse': [5],
          'n.bias_hh_l0_reverse': [5],
          'n.weight_ih_l1': [5, 10],
          'n.weight_hh_l1': [5, 5],
          'n.bias_ih_l1': [5],
          'n.bias_hh_l1': [5],
          'n.weight_ih_l1_reverse': [5, 10],
          'n.weight_hh_l1_reverse': [5, 5],
          'n.bias_ih_l1_reverse': [5],
          'n.bias_hh_l1_reverse': [5],
        },
      },
    ],
  },
);
