// nn.LSTM, gates (i, f, g, o) in PyTorch's row order:
// i = σ(W_ii x + b_ii + W_hi h + b_hi), f = σ(...), g = tanh(...), o = σ(...),
// c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').
import { recurrentOp } from './recurrent.js';

export const lstm = recurrentOp(
  'lstm',
  {},
  {
    summary:
      'nn.LSTM(batch_first=True) on [batch, time, inputSize], gates i f g o; ports h_n and c_n, and h_0, c_0 as optional further inputs',
    examples: [
      {
        input: { shape: ['b', 't', 3] },
        node: { inputSize: 3, hiddenSize: 2 },
        shape: ['b', 't', 2],
        ports: { h_n: [1, 'b', 2], c_n: [1, 'b', 2] },
        weights: {
          'n.weight_ih_l0': [8, 3],
          'n.weight_hh_l0': [8, 2],
          'n.bias_ih_l0': [8],
          'n.bias_hh_l0': [8],
        },
      },
    ],
  },
);
